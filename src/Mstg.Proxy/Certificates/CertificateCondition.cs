namespace Mstg.Proxy.Certificates;

/// <summary>
/// The one certificate/TLS situation the proxy presents to in-scope clients. Each member maps to a
/// MASTG-TEST-0067 "gradually relax" step or an ATS requirement; what each one means is in <see cref="ConditionCatalog"/>.
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

/// <summary>Names and properties of a condition, read from <see cref="ConditionCatalog"/>.</summary>
public static class CertificateConditions
{
    public static IReadOnlyCollection<string> Names { get; } = ConditionCatalog.Conditions.Select(d => d.Name).ToList();

    /// <summary>The kebab-case name used on the command line, in events and in docs.</summary>
    public static string ToName(this CertificateCondition condition) => ConditionCatalog.For(condition).Name;

    public static ConditionDescriptor Describe(this CertificateCondition condition) => ConditionCatalog.For(condition);

    public static bool TryParse(string? name, out CertificateCondition condition)
    {
        var found = ConditionCatalog.TryFind(name, out var d);
        condition = found ? d.Condition : default;
        return found;
    }

    public static CertificateCondition Parse(string name) =>
        TryParse(name, out var c)
            ? c
            : throw new MstgInputException("condition", $"'{name}'", $"unknown condition; expected one of {string.Join(", ", Names)}");

    /// <summary>
    /// Conditions whose server side Debian's OpenSSL refuses under its default policy (MinProtocol TLSv1.2,
    /// SECLEVEL 2). They need a proxy process started with a relaxed OPENSSL_CONF (see LegacyOpenSsl).
    /// </summary>
    public static bool NeedsLegacyOpenSsl(this CertificateCondition condition) => ConditionCatalog.For(condition).NeedsLegacyOpenSsl;
}
