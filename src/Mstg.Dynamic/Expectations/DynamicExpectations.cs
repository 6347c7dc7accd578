using Mstg.Proxy.Certificates;

namespace Mstg.Dynamic.Expectations;

/// <summary>What a probe looks at in its window of proxy events.</summary>
public enum ProbeKind
{
    /// <summary>Passthrough: no cleartext HTTP and no non-TLS bytes from the app (MSTG-NETWORK-1).</summary>
    NoCleartext,
    /// <summary>Passthrough: every ClientHello offers nothing below TLS 1.2 (MSTG-NETWORK-2).</summary>
    ModernClientHello,
    /// <summary>An intercepting condition the app must refuse: it sends no request over the intercepted connection.</summary>
    MustRefuse,
}

/// <summary>
/// One row of the dynamic table: a condition the proxy presents, the requirement it probes and the answer an app that
/// follows ATS must give. The dynamic suite makes one test case per row × first-party host.
/// </summary>
/// <param name="Id">Stable id used in test names, the verdicts file and the known-answer matrix: <c>requirement/condition</c> short form.</param>
/// <param name="Level">The lowest MASVS level that requires it; below it a failure is reported as a warning (pinning at L1).</param>
/// <param name="ClientMustDo">What the right answer is, in one sentence (report text).</param>
/// <param name="RuleId">The dynamic rule id a failing finding carries.</param>
public sealed record ConditionProbe(
    string Id,
    CertificateCondition Condition,
    string Requirement,
    string MasvsId,
    string MastgTest,
    Profile Level,
    ProbeKind Kind,
    string Title,
    string ClientMustDo,
    string RuleId)
{
    /// <summary>The condition's kebab-case name, as in events and on the command line.</summary>
    public string ConditionName => Condition.ToName();
}

/// <summary>
/// The one table of dynamic probes: which condition probes which requirement, and what the right answer is.
/// SEAM: after proxy9 is merged, the condition half of each row (requirement probed, what an ATS-following client must
/// do) is read from <c>Mstg.Proxy.ConditionCatalog</c>; this table then keeps only what is the suite's own (rule id,
/// MASTG test, level, title). A test in tests/Mstg.Dynamic.Tests keeps it in step with the proxy's condition enum and
/// with docs/dynamic.md.
/// </summary>
public static class DynamicExpectations
{
    public const string Network1 = "MSTG-NETWORK-1", Network2 = "MSTG-NETWORK-2", Network3 = "MSTG-NETWORK-3", Network4 = "MSTG-NETWORK-4";

    public static IReadOnlyList<ConditionProbe> All { get; } =
    [
        new("n1-passthrough-cleartext", CertificateCondition.Passthrough, Network1, "MASVS-NETWORK-1", "MASTG-TEST-0236", Profile.L1, ProbeKind.NoCleartext,
            "No cleartext traffic", "send every request over TLS: no plain HTTP and no other unencrypted bytes", DynamicRuleIds.Cleartext),
        new("n2-passthrough-clienthello", CertificateCondition.Passthrough, Network2, "MASVS-NETWORK-1", "MASTG-TEST-0066", Profile.L1, ProbeKind.ModernClientHello,
            "ClientHello offers TLS 1.2 or later only", "offer nothing below TLS 1.2 in its ClientHello", DynamicRuleIds.LegacyTlsOffered),
        Refuse("n2-tls10-only", CertificateCondition.Tls10Only, Network2, "MASTG-TEST-0066", Profile.L1, "Refuses a TLS 1.0 server",
            "refuse a server that speaks only TLS 1.0 (ATS minimum is TLS 1.2)"),
        Refuse("n2-tls11-only", CertificateCondition.Tls11Only, Network2, "MASTG-TEST-0066", Profile.L1, "Refuses a TLS 1.1 server",
            "refuse a server that speaks only TLS 1.1 (ATS minimum is TLS 1.2)"),
        Refuse("n2-no-forward-secrecy", CertificateCondition.NoForwardSecrecy, Network2, "MASTG-TEST-0066", Profile.L1, "Refuses cipher suites without forward secrecy",
            "refuse a server that offers only RSA key exchange (ATS requires ECDHE)"),
        Refuse("n2-weak-key", CertificateCondition.WeakKey, Network2, "MASTG-TEST-0066", Profile.L1, "Refuses a 1024-bit RSA server key",
            "refuse a leaf with an RSA key under 2048 bits (ATS certificate requirements)"),
        Refuse("n2-sha1-signature", CertificateCondition.Sha1Signature, Network2, "MASTG-TEST-0066", Profile.L1, "Refuses a SHA-1 signed certificate",
            "refuse a leaf signed with SHA-1 (ATS requires SHA-256 or better)"),
        Refuse("n3-untrusted-ca", CertificateCondition.UntrustedCa, Network3, "MASTG-TEST-0067", Profile.L1, "Refuses a certificate from an untrusted CA",
            "refuse a certificate chaining to a CA the device does not trust"),
        Refuse("n3-self-signed", CertificateCondition.SelfSigned, Network3, "MASTG-TEST-0067", Profile.L1, "Refuses a self-signed certificate",
            "refuse a self-signed certificate"),
        Refuse("n3-wrong-host", CertificateCondition.WrongHost, Network3, "MASTG-TEST-0067", Profile.L1, "Refuses a certificate for another host",
            "refuse a trusted certificate issued for a different host name"),
        Refuse("n3-expired", CertificateCondition.Expired, Network3, "MASTG-TEST-0067", Profile.L1, "Refuses an expired certificate",
            "refuse an expired certificate"),
        Refuse("n4-trusted-ca", CertificateCondition.TrustedCa, Network4, "MASTG-TEST-0244", Profile.L2, "Pins: refuses a trusted interception CA",
            "refuse a certificate from a CA the device trusts but the app does not pin (the run's CA is installed for this case)"),
    ];

    /// <summary>The rows of one requirement.</summary>
    public static IEnumerable<ConditionProbe> For(string requirement) => All.Where(p => p.Requirement == requirement);

    public static ConditionProbe Get(string id) =>
        All.FirstOrDefault(p => p.Id == id) ?? throw new KeyNotFoundException($"no dynamic probe '{id}' (known: {string.Join(", ", All.Select(p => p.Id))})");

    /// <summary>The conditions the table needs, in order, each once: one app run per condition serves every host and row.</summary>
    public static IReadOnlyList<CertificateCondition> Conditions { get; } = All.Select(p => p.Condition).Distinct().ToList();

    /// <summary>Conditions under which the app must trust the run's CA (as a user who installed it would): pinning only.</summary>
    public static bool NeedsRunCaTrusted(CertificateCondition condition) => condition == CertificateCondition.TrustedCa;

    private static ConditionProbe Refuse(string id, CertificateCondition condition, string requirement, string mastg, Profile level, string title, string mustDo) =>
        new(id, condition, requirement, requirement == Network4 ? "MASVS-NETWORK-2" : "MASVS-NETWORK-1", mastg, level, ProbeKind.MustRefuse, title, mustDo,
            DynamicRuleIds.Accepted(condition));
}

/// <summary>
/// The dynamic rule ids. SEAM: core9 adds DYN-… ids to <c>Mstg.RuleCatalog</c>; after the merge these constants point at
/// the catalogue's (or are replaced by them) so the suites, Allure and SARIF share one id per dynamic rule.
/// </summary>
public static class DynamicRuleIds
{
    public const string Cleartext = "DYN-CLEARTEXT";
    public const string LegacyTlsOffered = "DYN-LEGACY-TLS-OFFERED";
    public const string StaticUrlConfirmed = "DYN-CLEARTEXT-URL-CONFIRMED";

    /// <summary><c>DYN-ACCEPTS-UNTRUSTED-CA</c> …: the app sent a request over a connection it should have refused.</summary>
    public static string Accepted(CertificateCondition condition) => "DYN-ACCEPTS-" + condition.ToName().ToUpperInvariant();
}
