using Mstg.Analysis.Ats;
using Mstg.Tls.Raw;

namespace Mstg.ServerTls.Ats;

/// <summary>One ATS dictionary nscurl tries, as the settings it changes.</summary>
public sealed record AtsSettings(bool AllowsArbitraryLoads = false, TlsVersion? MinimumTls = null, bool RequiresForwardSecrecy = true, bool AllowsInsecureHttpLoads = false)
{
    /// <summary>The Info.plist keys these settings need, empty for the default.</summary>
    public IReadOnlyList<string> Keys =>
    [
        .. AllowsArbitraryLoads ? ["NSAllowsArbitraryLoads = YES"] : Array.Empty<string>(),
        .. MinimumTls is { } v ? [$"NSExceptionMinimumTLSVersion = {v.ToPlistString()}"] : Array.Empty<string>(),
        .. RequiresForwardSecrecy ? Array.Empty<string>() : ["NSExceptionRequiresForwardSecrecy = NO"],
        .. AllowsInsecureHttpLoads ? ["NSExceptionAllowsInsecureHTTPLoads = YES"] : Array.Empty<string>(),
    ];

    public override string ToString() => Keys.Count == 0 ? "default ATS" : string.Join(", ", Keys);
}

/// <summary>One row of the nscurl --ats-diagnostics matrix.</summary>
public sealed record AtsRow(string Title, AtsSettings Settings, bool Passes);

/// <summary>Would an app connect to this endpoint, and with which exception keys.</summary>
public sealed record AtsVerdict
{
    /// <summary>False when the endpoint could not be probed far enough to judge (no chain, no TLS).</summary>
    public required bool Known { get; init; }
    public required bool DefaultConnects { get; init; }
    /// <summary>The smallest set of domain exception keys that makes the connection work, or null when none does.</summary>
    public AtsSettings? CheapestException { get; init; }
    /// <summary>Certificate problems no ATS key fixes (the system trust evaluation still runs with ATS off).</summary>
    public IReadOnlyList<string> CertificateProblems { get; init; } = [];
    /// <summary>What the TLS parameters lack for default ATS (version, forward secrecy, suites).</summary>
    public IReadOnlyList<string> TlsProblems { get; init; } = [];
    public IReadOnlyList<AtsRow> Matrix { get; init; } = [];
}

/// <summary>
/// Apple's ATS server requirements applied to a probe result: TLS ≥ 1.2 (or the exception's minimum), one of the eleven
/// ECDHE suites (or, with NSExceptionRequiresForwardSecrecy = NO, six static-RSA ones) or any TLS 1.3 suite, and a
/// certificate the platform trusts: chain to a trusted root, name in SAN, in date, RSA ≥ 2048 / EC ≥ 256, SHA-2
/// signatures, at most 825 days of validity. The sixteen rows are nscurl's, in its order.
/// NSExceptionAllowsInsecureHTTPLoads only permits cleartext HTTP, so it changes no TLS row (nscurl tries it anyway).
/// NSAllowsArbitraryLoads turns the ATS suite and version rules off (TLS 1.0+, any suite that is not broken) but
/// not the platform's certificate checks.
/// </summary>
public static class AtsServerModel
{
    private static readonly DateTimeOffset LifetimeRuleFrom = new(2019, 7, 1, 0, 0, 0, TimeSpan.Zero);
    public const int MaxLifetimeDays = 825;

    public static AtsVerdict Evaluate(EndpointReport report)
    {
        if (report.Status != ProbeStatus.Probed || report.Chain is null)
            return new AtsVerdict { Known = false, DefaultConnects = false };
        var certificate = CertificateProblems(report.Chain);
        var rows = Rows().Select(r => new AtsRow(r.Title, r.Settings, certificate.Count == 0 && TlsConnects(report, r.Settings))).ToList();
        var defaultConnects = rows[0].Passes;
        AtsSettings? cheapest = null;
        if (defaultConnects) cheapest = new AtsSettings();
        else if (certificate.Count == 0)
            cheapest = Candidates().FirstOrDefault(c => TlsConnects(report, c));
        return new AtsVerdict
        {
            Known = true,
            DefaultConnects = defaultConnects,
            CheapestException = cheapest,
            CertificateProblems = certificate,
            TlsProblems = TlsConnects(report, new AtsSettings()) ? [] : TlsProblems(report),
            Matrix = rows,
        };
    }

    private static IEnumerable<AtsSettings> Candidates()
    {
        yield return new AtsSettings(RequiresForwardSecrecy: false);
        yield return new AtsSettings(MinimumTls: TlsVersion.Tls11);
        yield return new AtsSettings(MinimumTls: TlsVersion.Tls10);
        yield return new AtsSettings(MinimumTls: TlsVersion.Tls11, RequiresForwardSecrecy: false);
        yield return new AtsSettings(MinimumTls: TlsVersion.Tls10, RequiresForwardSecrecy: false);
        yield return new AtsSettings(AllowsArbitraryLoads: true);
    }

    public static IReadOnlyList<(string Title, AtsSettings Settings)> Rows()
    {
        TlsVersion[] versions = [TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10];
        var rows = new List<(string, AtsSettings)>
        {
            ("Default ATS Secure Connection", new AtsSettings()),
            ("Allowing Arbitrary Loads", new AtsSettings(AllowsArbitraryLoads: true)),
        };
        rows.AddRange(versions.Select(v => ($"TLS exception {v.ToPlistString()}", new AtsSettings(MinimumTls: v))));
        rows.Add(("PFS exception", new AtsSettings(RequiresForwardSecrecy: false)));
        rows.Add(("PFS exception, insecure HTTP allowed", new AtsSettings(RequiresForwardSecrecy: false, AllowsInsecureHttpLoads: true)));
        rows.AddRange(versions.Select(v => ($"TLS exception {v.ToPlistString()}, PFS disabled", new AtsSettings(MinimumTls: v, RequiresForwardSecrecy: false))));
        rows.AddRange(versions.Select(v => ($"TLS exception {v.ToPlistString()}, PFS disabled, insecure HTTP allowed",
            new AtsSettings(MinimumTls: v, RequiresForwardSecrecy: false, AllowsInsecureHttpLoads: true))));
        return rows;
    }

    public static bool TlsConnects(EndpointReport report, AtsSettings settings)
    {
        var floor = settings.AllowsArbitraryLoads ? TlsCatalog.Tls10 : ToWire(settings.MinimumTls ?? TlsVersions.AtsDefault);
        return report.AcceptedProtocols.Where(p => p.Version >= floor && p.Version >= TlsCatalog.Tls10).Any(p => p.Suites.Any(s =>
            p.Version == TlsCatalog.Tls13
            || (settings.AllowsArbitraryLoads ? s.Strength != SuiteStrength.Broken
                : CipherSuiteInfo.AtsForwardSecret.Contains(s.Value) || (!settings.RequiresForwardSecrecy && CipherSuiteInfo.AtsWithoutForwardSecrecy.Contains(s.Value)))));
    }

    public static IReadOnlyList<string> CertificateProblems(ChainReport chain)
    {
        var problems = new List<string>();
        if (chain.Trust == ChainTrust.Untrusted) problems.Add("the chain does not end at a trusted root");
        if (chain.Trust == ChainTrust.Incomplete) problems.Add("the served chain does not reach a root (missing intermediate)");
        if (!chain.HostnameMatches) problems.Add("the name is not in the certificate's subjectAltName");
        if (chain.Expired) problems.Add("the certificate has expired");
        if (chain.NotYetValid) problems.Add("the certificate is not valid yet");
        if (chain.Leaf.WeakKey) problems.Add($"the leaf key is {chain.Leaf.KeyAlgorithm} {chain.Leaf.KeyBits} bits");
        if (chain.Served.Any(c => !c.SelfIssued && c.WeakSignature)) problems.Add("a certificate is signed with SHA-1 or MD5");
        if (chain.Leaf.NotBefore >= LifetimeRuleFrom && chain.Leaf.LifetimeDays > MaxLifetimeDays)
            problems.Add($"the leaf is valid for {chain.Leaf.LifetimeDays:0} days, more than {MaxLifetimeDays}");
        return problems;
    }

    private static IReadOnlyList<string> TlsProblems(EndpointReport report)
    {
        var problems = new List<string>();
        if (!report.Accepts(TlsCatalog.Tls12) && !report.Accepts(TlsCatalog.Tls13)) problems.Add("neither TLS 1.2 nor TLS 1.3 is accepted");
        else if (TlsConnects(report, new AtsSettings(RequiresForwardSecrecy: false))) problems.Add("no ECDHE suite from the ATS list is accepted under TLS 1.2 or later (no forward secrecy)");
        else problems.Add("no cipher suite from the ATS list is accepted under TLS 1.2 or later");
        return problems;
    }

    public static ushort ToWire(TlsVersion v) => v switch
    {
        TlsVersion.Tls10 => TlsCatalog.Tls10,
        TlsVersion.Tls11 => TlsCatalog.Tls11,
        TlsVersion.Tls12 => TlsCatalog.Tls12,
        _ => TlsCatalog.Tls13,
    };
}
