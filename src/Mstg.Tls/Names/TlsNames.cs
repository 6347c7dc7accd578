namespace Mstg.Tls;

/// <summary>IANA names for the numbers found on the wire (versions, alerts, cipher suites).</summary>
public static class TlsNames
{
    public static string Version(ushort v) => v switch
    {
        0x0300 => "SSL3.0",
        0x0301 => "TLS1.0",
        0x0302 => "TLS1.1",
        0x0303 => "TLS1.2",
        0x0304 => "TLS1.3",
        _ => $"0x{v:x4}",
    };

#pragma warning disable SYSLIB0039 // naming old protocols is the point
    public static string Version(System.Security.Authentication.SslProtocols protocol) => protocol switch
    {
        System.Security.Authentication.SslProtocols.Tls => "TLS1.0",
        System.Security.Authentication.SslProtocols.Tls11 => "TLS1.1",
        System.Security.Authentication.SslProtocols.Tls12 => "TLS1.2",
        System.Security.Authentication.SslProtocols.Tls13 => "TLS1.3",
        _ => protocol.ToString(),
    };
#pragma warning restore SYSLIB0039

    private static readonly Dictionary<int, string> Alerts = new()
    {
        [0] = "close_notify", [10] = "unexpected_message", [20] = "bad_record_mac", [22] = "record_overflow",
        [40] = "handshake_failure", [42] = "bad_certificate", [43] = "unsupported_certificate",
        [44] = "certificate_revoked", [45] = "certificate_expired", [46] = "certificate_unknown",
        [47] = "illegal_parameter", [48] = "unknown_ca", [49] = "access_denied", [50] = "decode_error",
        [51] = "decrypt_error", [70] = "protocol_version", [71] = "insufficient_security", [80] = "internal_error",
        [86] = "inappropriate_fallback", [90] = "user_canceled", [109] = "missing_extension",
        [110] = "unsupported_extension", [112] = "unrecognized_name", [113] = "bad_certificate_status_response",
        [115] = "unknown_psk_identity", [116] = "certificate_required", [120] = "no_application_protocol",
    };

    public static string Alert(int code) => Alerts.TryGetValue(code, out var n) ? n : $"alert_{code}";

    /// <summary>
    /// OpenSSL reports a received alert as "sslv3 alert bad certificate" / "tlsv1 alert unknown ca". Under TLS 1.3
    /// the alert record is encrypted, so this text (from SslStream's inner exception) is the only place it shows.
    /// </summary>
    public static int? AlertFromOpenSslMessage(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)");
        if (!m.Success) return null;
        var words = m.Groups[1].Value.Trim().Replace(' ', '_');
        // OpenSSL spells a few differently from IANA.
        words = words switch
        {
            "certificate_unknown" => "certificate_unknown",
            "decode_error" => "decode_error",
            _ => words,
        };
        foreach (var (code, name) in Alerts)
            if (name == words) return code;
        return null;
    }

    /// <summary>Cipher suite name via the BCL enum, which carries the IANA names.</summary>
    public static string CipherSuite(ushort value) =>
        Enum.IsDefined(typeof(System.Net.Security.TlsCipherSuite), value)
            ? ((System.Net.Security.TlsCipherSuite)value).ToString()
            : $"0x{value:x4}";

    /// <summary>ECDHE/DHE suites and every TLS 1.3 suite give forward secrecy.</summary>
    public static bool IsForwardSecret(ushort suite)
    {
        var name = CipherSuite(suite);
        return name.StartsWith("TLS_ECDHE_", StringComparison.Ordinal) || name.StartsWith("TLS_DHE_", StringComparison.Ordinal)
            || name is "TLS_AES_128_GCM_SHA256" or "TLS_AES_256_GCM_SHA384" or "TLS_CHACHA20_POLY1305_SHA256"
                or "TLS_AES_128_CCM_SHA256" or "TLS_AES_128_CCM_8_SHA256";
    }
}
