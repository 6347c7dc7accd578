using Mstg.Analysis.Ats;
using Mstg.Proxy.Certificates;

namespace Mstg.Dynamic.Prediction;

/// <summary>
/// What the app's ATS configuration (from its Info.plist, the static analysis' <see cref="AtsPolicy"/>) says the URL
/// Loading System will do for one host. The judge compares it with what the app did: an app that accepts what ATS
/// would refuse, or sends cleartext ATS forbids, has code that goes around ATS (its own TLS stack, sockets, a trust
/// override, or a web view exemption).
/// </summary>
public sealed record AtsPrediction(string Host, bool CleartextAllowed, TlsVersion? MinimumTls, bool RequiresForwardSecrecy, bool AtsApplies)
{
    public static AtsPrediction From(AtsPolicy policy, string host) =>
        new(host, policy.IsCleartextAllowed(host), policy.MinimumTls(host), policy.RequiresForwardSecrecy(host),
            AtsApplies: !policy.AtsDisabledBySdk && !policy.ArbitraryLoadsInEffect() && policy.ExceptionFor(host) is null);

    /// <summary>
    /// Does the system (ATS plus the default server trust evaluation) refuse this condition for the host, with no code of
    /// the app's own involved? Null when it has nothing to say (trusted-ca: pinning is the app's choice).
    /// </summary>
    public bool? PredictsRefusal(CertificateCondition condition) => condition switch
    {
        // Default trust evaluation refuses these whatever ATS says; only app code (a trust delegate) accepts them.
        CertificateCondition.UntrustedCa or CertificateCondition.SelfSigned or CertificateCondition.WrongHost or CertificateCondition.Expired => true,
        CertificateCondition.Tls10Only => MinimumTls is { } min && min > TlsVersion.Tls10,
        CertificateCondition.Tls11Only => MinimumTls is { } min11 && min11 > TlsVersion.Tls11,
        CertificateCondition.NoForwardSecrecy => RequiresForwardSecrecy,
        // ATS' certificate requirements (RSA 2048, SHA-256) hold where ATS applies in full.
        CertificateCondition.WeakKey or CertificateCondition.Sha1Signature => AtsApplies,
        _ => null,
    };

    /// <summary>One line for a finding: what the plist says about the host.</summary>
    public string Describe() =>
        $"ATS for {Host}: cleartext {(CleartextAllowed ? "allowed" : "not allowed")}, minimum TLS {MinimumTls?.ToString() ?? "not enforced"}, " +
        $"forward secrecy {(RequiresForwardSecrecy ? "required" : "not required")}";
}
