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
/// The one table of dynamic probes: which condition probes which requirement, and what the right answer is. The
/// condition half of each row (the requirement probed, what acceptance means) is read from the proxy's
/// <see cref="ConditionCatalog"/>; this table adds what is the suite's own: the probe kind, the MASTG test, the level, the
/// title and the rule id (from <see cref="RuleCatalog"/>). A test in tests/Mstg.Dynamic.Tests keeps it in step with the
/// catalogue (a refusal probe for every condition an ATS client must refuse, L2 exactly where it must refuse only when
/// pinning) and with docs/dynamic.md.
/// </summary>
public static class DynamicExpectations
{
    // The requirement table's ids, under the names the probe rows and the suite use.
    public const string Network1 = RequirementTable.Network1, Network2 = RequirementTable.Network2,
        Network3 = RequirementTable.Network3, Network4 = RequirementTable.Network4;

    public static IReadOnlyList<ConditionProbe> All { get; } =
    [
        new("n1-passthrough-cleartext", CertificateCondition.Passthrough, ConditionCatalog.For(CertificateCondition.Passthrough).Requirement, "MASVS-NETWORK-1",
            "MASTG-TEST-0236", Profile.L1, ProbeKind.NoCleartext,
            "No cleartext traffic", "send every request over TLS: no plain HTTP and no other unencrypted bytes", DynamicRuleIds.Cleartext),
        // The same passthrough window, read for MSTG-NETWORK-2: the catalogue files passthrough under NETWORK-1 (it only
        // observes); what the ClientHello offers is a TLS setting.
        new("n2-passthrough-clienthello", CertificateCondition.Passthrough, Network2, "MASVS-NETWORK-1", "MASTG-TEST-0066", Profile.L1, ProbeKind.ModernClientHello,
            "ClientHello offers TLS 1.2 or later only", "offer nothing below TLS 1.2 in its ClientHello", DynamicRuleIds.LegacyTlsOffered),
        Refuse("n2-tls10-only", CertificateCondition.Tls10Only, "MASTG-TEST-0066", Profile.L1, "Refuses a TLS 1.0 server",
            "refuse a server that speaks only TLS 1.0 (ATS minimum is TLS 1.2)"),
        Refuse("n2-tls11-only", CertificateCondition.Tls11Only, "MASTG-TEST-0066", Profile.L1, "Refuses a TLS 1.1 server",
            "refuse a server that speaks only TLS 1.1 (ATS minimum is TLS 1.2)"),
        Refuse("n2-no-forward-secrecy", CertificateCondition.NoForwardSecrecy, "MASTG-TEST-0066", Profile.L1, "Refuses cipher suites without forward secrecy",
            "refuse a server that offers only RSA key exchange (ATS requires ECDHE)"),
        Refuse("n2-weak-key", CertificateCondition.WeakKey, "MASTG-TEST-0066", Profile.L1, "Refuses a 1024-bit RSA server key",
            "refuse a leaf with an RSA key under 2048 bits (ATS certificate requirements)"),
        Refuse("n2-sha1-signature", CertificateCondition.Sha1Signature, "MASTG-TEST-0066", Profile.L1, "Refuses a SHA-1 signed certificate",
            "refuse a leaf signed with SHA-1 (ATS requires SHA-256 or better)"),
        Refuse("n3-untrusted-ca", CertificateCondition.UntrustedCa, "MASTG-TEST-0067", Profile.L1, "Refuses a certificate from an untrusted CA",
            "refuse a certificate chaining to a CA the device does not trust"),
        Refuse("n3-self-signed", CertificateCondition.SelfSigned, "MASTG-TEST-0067", Profile.L1, "Refuses a self-signed certificate",
            "refuse a self-signed certificate"),
        Refuse("n3-wrong-host", CertificateCondition.WrongHost, "MASTG-TEST-0067", Profile.L1, "Refuses a certificate for another host",
            "refuse a trusted certificate issued for a different host name"),
        Refuse("n3-expired", CertificateCondition.Expired, "MASTG-TEST-0067", Profile.L1, "Refuses an expired certificate",
            "refuse an expired certificate"),
        Refuse("n4-trusted-ca", CertificateCondition.TrustedCa, "MASTG-TEST-0244", Profile.L2, "Pins: refuses a trusted interception CA",
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

    private static ConditionProbe Refuse(string id, CertificateCondition condition, string mastg, Profile level, string title, string mustDo)
    {
        var requirement = ConditionCatalog.For(condition).Requirement;
        return new(id, condition, requirement, requirement == Network4 ? "MASVS-NETWORK-2" : "MASVS-NETWORK-1", mastg, level, ProbeKind.MustRefuse, title, mustDo,
            DynamicRuleIds.Accepted(requirement));
    }
}

/// <summary>The dynamic rule ids of <see cref="RuleCatalog"/> each probe reports under.</summary>
public static class DynamicRuleIds
{
    public const string Cleartext = RuleCatalog.DynCleartextTraffic;
    public const string LegacyTlsOffered = RuleCatalog.DynLegacyTlsOffered;
    /// <summary>
    /// A hard-coded http:// URL of the static analysis (BIN-CLEARTEXT-URL), confirmed or cleared by the passthrough run.
    /// Its own id so a report tells the confirmation from the traffic finding: fail when confirmed, info when cleared.
    /// </summary>
    public const string StaticUrlConfirmed = RuleCatalog.DynCleartextUrlConfirmed;

    /// <summary>The app sent a request over a connection it had to refuse: weak TLS (NETWORK-2), an invalid certificate (NETWORK-3), no pinning (NETWORK-4).</summary>
    public static string Accepted(string requirement) => requirement switch
    {
        DynamicExpectations.Network2 => RuleCatalog.DynAcceptsWeakTls,
        DynamicExpectations.Network3 => RuleCatalog.DynAcceptsInvalidCert,
        DynamicExpectations.Network4 => RuleCatalog.DynNotPinned,
        _ => throw new ArgumentOutOfRangeException(nameof(requirement), requirement, "no refusal probe for this requirement"),
    };
}
