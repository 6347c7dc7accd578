namespace Mstg.Tls;

/// <summary>
/// Debian's OpenSSL refuses TLS 1.0/1.1 and SECLEVEL-1-or-lower material (RSA-1024 keys, SHA-1 signatures) by
/// default, and reads its configuration once per process. Conditions that need them therefore run in a proxy
/// process started with OPENSSL_CONF pointing at the file written here; each connection still restricts
/// itself via EnabledSslProtocols / CipherSuitesPolicy, so the relaxed default never leaks into other conditions.
/// </summary>
public static class LegacyOpenSsl
{
    public const string ConfigText = """
        # Written by MstgTests: lets this one proxy process offer TLS 1.0/1.1, RSA-1024 and SHA-1 on purpose.
        openssl_conf = openssl_init
        [openssl_init]
        ssl_conf = ssl_sect
        [ssl_sect]
        system_default = system_default_sect
        [system_default_sect]
        MinProtocol = TLSv1
        CipherString = DEFAULT:@SECLEVEL=0
        """;

    /// <summary>True when this process was started with a configuration that relaxes the protocol floor and security level.</summary>
    public static bool IsActive
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("OPENSSL_CONF");
            if (string.IsNullOrEmpty(path) || !File.Exists(path)) return false;
            var text = File.ReadAllText(path);
            return text.Contains("SECLEVEL=0", StringComparison.Ordinal) &&
                   System.Text.RegularExpressions.Regex.IsMatch(text, @"MinProtocol\s*=\s*TLSv1\s*$", System.Text.RegularExpressions.RegexOptions.Multiline);
        }
    }

    /// <summary>Writes the configuration file into <paramref name="directory"/> (callers pass a private per-run folder) and returns its path.</summary>
    public static string WriteConfig(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "mstg-legacy-openssl.cnf");
        File.WriteAllText(path, ConfigText.Replace("\n        ", "\n") + "\n");
        return path;
    }

    /// <summary>Why a process without the relaxed configuration cannot serve <paramref name="what"/>, and how to get one.</summary>
    public static string Explain(string what) =>
        $"{what} needs a process started with OPENSSL_CONF relaxing Debian's OpenSSL " +
        "(MinProtocol = TLSv1, SECLEVEL=0); start it via ProxyHost with LegacyTls = true or `mstg proxy --legacy-tls`";
}
