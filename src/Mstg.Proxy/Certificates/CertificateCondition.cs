using Mstg.Tls;
namespace Mstg.Proxy.Certificates;

/// <summary>
/// The one certificate/TLS situation the proxy presents to in-scope clients. Each member maps to a
/// MASTG-TEST-0067 "gradually relax" step or an ATS requirement (see docs/proxy.md).
/// </summary>
public enum CertificateCondition
{
    Passthrough,
    TrustedCa,
    UntrustedCa,
    SelfSigned,
    WrongHost,
    Expired,
    WeakKey,
    Sha1Signature,
    Tls10Only,
    Tls11Only,
    NoForwardSecrecy,
}

public static class CertificateConditions
{
    private static readonly Dictionary<string, CertificateCondition> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["passthrough"] = CertificateCondition.Passthrough,
        ["trusted-ca"] = CertificateCondition.TrustedCa,
        ["untrusted-ca"] = CertificateCondition.UntrustedCa,
        ["self-signed"] = CertificateCondition.SelfSigned,
        ["wrong-host"] = CertificateCondition.WrongHost,
        ["expired"] = CertificateCondition.Expired,
        ["weak-key"] = CertificateCondition.WeakKey,
        ["sha1-signature"] = CertificateCondition.Sha1Signature,
        ["tls10-only"] = CertificateCondition.Tls10Only,
        ["tls11-only"] = CertificateCondition.Tls11Only,
        ["no-forward-secrecy"] = CertificateCondition.NoForwardSecrecy,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The kebab-case name used on the command line, in events and in docs.</summary>
    public static string ToName(this CertificateCondition condition) =>
        ByName.First(pair => pair.Value == condition).Key;

    public static bool TryParse(string? name, out CertificateCondition condition) =>
        ByName.TryGetValue(name ?? "", out condition);

    public static CertificateCondition Parse(string name) =>
        TryParse(name, out var c)
            ? c
            : throw new MstgInputException("condition", $"'{name}'", $"unknown condition; expected one of {string.Join(", ", Names)}");

    /// <summary>
    /// Conditions whose server side Debian's OpenSSL refuses under its default policy (MinProtocol TLSv1.2,
    /// SECLEVEL 2). They need a proxy process started with a relaxed OPENSSL_CONF (see LegacyOpenSsl).
    /// </summary>
    public static bool NeedsLegacyOpenSsl(this CertificateCondition condition) => condition is
        CertificateCondition.Tls10Only or CertificateCondition.Tls11Only or
        CertificateCondition.WeakKey or CertificateCondition.Sha1Signature;
}
