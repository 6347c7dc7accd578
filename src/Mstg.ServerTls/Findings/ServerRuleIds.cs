namespace Mstg.ServerTls;

/// <summary>
/// The rule ids the server prober emits. Kept here until the shared rule catalogue (src/Mstg.Core/RuleCatalog.cs)
/// lists them; <c>Finding.Rule</c> throws for an id the catalogue does not know, so nothing here calls it.
/// </summary>
public static class ServerRuleIds
{
    public const string LegacyVersion = "SERVER-TLS-LEGACY-VERSION";
    public const string NoForwardSecrecy = "SERVER-NO-FORWARD-SECRECY";
    public const string WeakCipher = "SERVER-WEAK-CIPHER";
    public const string WeakKey = "SERVER-WEAK-KEY";
    public const string WeakSignature = "SERVER-WEAK-SIGNATURE";
    public const string CertExpired = "SERVER-CERT-EXPIRED";
    public const string CertHostname = "SERVER-CERT-HOSTNAME";
    public const string CertUntrusted = "SERVER-CERT-UNTRUSTED";
    public const string CertLifetime = "SERVER-CERT-LIFETIME";
    public const string ChainIncomplete = "SERVER-CHAIN-INCOMPLETE";
    public const string AtsFail = "SERVER-ATS-FAIL";
    /// <summary>The endpoint could not be probed (does not resolve, refused, not TLS, broken answers): verdict Skipped, never a pass.</summary>
    public const string ProbeFailed = "SERVER-PROBE-FAILED";
    public const string AtsExceptionUnnecessary = "ATS-EXCEPTION-UNNECESSARY";
    public const string PinNoMatch = "PIN-NO-MATCH";

    /// <summary>Every id with its requirement (all are MSTG-NETWORK-2 but the pin check, MSTG-NETWORK-4), default verdict and severity.</summary>
    public static readonly IReadOnlyList<(string Id, string MstgId, Verdict Verdict, Severity Severity, string Title)> All =
    [
        (LegacyVersion, "MSTG-NETWORK-2", Verdict.Fail, Severity.Medium, "Server accepts SSL 3.0, TLS 1.0 or TLS 1.1"),
        (NoForwardSecrecy, "MSTG-NETWORK-2", Verdict.Fail, Severity.Medium, "Server offers no forward-secret suite under TLS 1.2+"),
        (WeakCipher, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Server accepts broken (Fail) or obsolete CBC-SHA1 (Warn) cipher suites"),
        (WeakKey, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Leaf key below RSA 2048 / EC 256"),
        (WeakSignature, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Certificate signed with SHA-1 or MD5"),
        (CertExpired, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Certificate expired or not yet valid"),
        (CertHostname, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Certificate does not name the host"),
        (CertUntrusted, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Chain ends at an untrusted root"),
        (CertLifetime, "MSTG-NETWORK-2", Verdict.Warn, Severity.Medium, "Certificate validity over 398 days (Warn) or 825 days (Fail)"),
        (ChainIncomplete, "MSTG-NETWORK-2", Verdict.Fail, Severity.Medium, "Served chain misses an intermediate"),
        (AtsFail, "MSTG-NETWORK-2", Verdict.Fail, Severity.High, "Default ATS would refuse the endpoint"),
        (ProbeFailed, "MSTG-NETWORK-2", Verdict.Skipped, Severity.Info, "Endpoint could not be probed"),
        (AtsExceptionUnnecessary, "MSTG-NETWORK-2", Verdict.Warn, Severity.Low, "App's ATS exception is not needed by the server"),
        (PinNoMatch, "MSTG-NETWORK-4", Verdict.Fail, Severity.High, "No pin matches the served chain"),
    ];
}
