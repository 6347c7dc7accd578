using Mstg.Tls;

namespace Mstg.ServerTls;

/// <summary>How bad a cipher suite is on its own.</summary>
public enum SuiteStrength
{
    /// <summary>AEAD or CBC with a SHA-2 MAC: nothing to say.</summary>
    Good,
    /// <summary>CBC with a SHA-1 MAC (Lucky 13 class; testssl.sh lists them as obsoleted).</summary>
    Obsolete,
    /// <summary>NULL, anonymous, EXPORT, RC4, DES, 3DES (SWEET32), IDEA, MD5 MAC: breakable.</summary>
    Broken,
}

/// <summary>A cipher suite with what its IANA name says about it.</summary>
public sealed record CipherSuiteInfo(ushort Value)
{
    public string Name => TlsNames.CipherSuite(Value);
    public bool ForwardSecret => TlsNames.IsForwardSecret(Value);

    public SuiteStrength Strength
    {
        get
        {
            var n = Name;
            if (n.StartsWith("0x", StringComparison.Ordinal)) return SuiteStrength.Broken;
            if (n.Contains("_NULL_", StringComparison.Ordinal) || n.EndsWith("_NULL", StringComparison.Ordinal) || n.Contains("_anon_", StringComparison.Ordinal)
                || n.Contains("EXPORT", StringComparison.Ordinal) || n.Contains("_RC4_", StringComparison.Ordinal) || n.Contains("_DES_", StringComparison.Ordinal)
                || n.Contains("_DES40_", StringComparison.Ordinal) || n.Contains("3DES", StringComparison.Ordinal) || n.Contains("_IDEA_", StringComparison.Ordinal)
                || n.Contains("_RC2_", StringComparison.Ordinal) || n.EndsWith("_MD5", StringComparison.Ordinal))
                return SuiteStrength.Broken;
            if (n.Contains("_CBC_", StringComparison.Ordinal) && n.EndsWith("_SHA", StringComparison.Ordinal)) return SuiteStrength.Obsolete;
            return SuiteStrength.Good;
        }
    }

    /// <summary>The eleven ECDHE suites ATS accepts by default under TLS 1.2 (Apple's NSAppTransportSecurity reference).</summary>
    public static readonly IReadOnlySet<ushort> AtsForwardSecret = new HashSet<ushort>
    {
        0xc02c, 0xc02b, 0xc024, 0xc00a, 0xc023, 0xc009, // ECDHE_ECDSA: AES_256_GCM, AES_128_GCM, AES_256_CBC_SHA384, AES_256_CBC_SHA, AES_128_CBC_SHA256, AES_128_CBC_SHA
        0xc030, 0xc02f, 0xc028, 0xc027, 0xc013,         // ECDHE_RSA: AES_256_GCM, AES_128_GCM, AES_256_CBC_SHA384, AES_128_CBC_SHA256, AES_128_CBC_SHA
    };

    /// <summary>The static-RSA suites ATS adds when NSExceptionRequiresForwardSecrecy is NO.</summary>
    public static readonly IReadOnlySet<ushort> AtsWithoutForwardSecrecy = new HashSet<ushort>
    {
        0x009d, 0x009c, 0x003d, 0x0035, 0x003c, 0x002f, // RSA: AES_256_GCM, AES_128_GCM, AES_256_CBC_SHA256, AES_256_CBC_SHA, AES_128_CBC_SHA256, AES_128_CBC_SHA
    };

    public override string ToString() => Name;
}
