namespace Mstg.Analysis.Waivers;

/// <summary>
/// An accepted finding: someone decided a rule's finding is acceptable for this app, said why, and until when.
/// Every field given narrows the match (exact text; domain, host and endpoint without regard to case); at least
/// <see cref="Rule"/> or <see cref="Test"/> is given. <see cref="Bundle"/>, <see cref="Location"/> and
/// <see cref="Domain"/> match static findings (<c>mstg scan --baseline</c> and the static suite); <see cref="Test"/>,
/// <see cref="Host"/> and <see cref="Condition"/> match dynamic cases, <see cref="Endpoint"/> server cases (the suites).
/// A waiver that names a field a finding does not have (a host on a static finding) does not match it. Format: docs/waivers.md.
/// </summary>
/// <param name="Expires">The last day the waiver holds; from the next day on it suppresses nothing and is reported.</param>
/// <param name="Place">Where the entry was read from (<c>mstg-baseline.json: waivers[2]</c>), for messages.</param>
public sealed record Waiver(string? Rule, string? Bundle, string? Location, string? Domain, string Justification, DateOnly Expires, string Place)
{
    /// <summary>A dynamic case's probe id (<c>n4-trusted-ca</c>, docs/dynamic.md): the test the waiver accepts.</summary>
    public string? Test { get; init; }

    /// <summary>The host a dynamic finding is about (the first-party host the app talked to).</summary>
    public string? Host { get; init; }

    /// <summary>The certificate condition a dynamic finding was seen under (<c>trusted-ca</c>).</summary>
    public string? Condition { get; init; }

    /// <summary>A server finding's endpoint: <c>host</c> (any port) or <c>host:port</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Who accepted the finding, when the file says so.</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>When the finding was accepted, when the file says so.</summary>
    public DateOnly? ApprovedOn { get; init; }

    public bool IsExpired(DateOnly today) => today > Expires;

    /// <summary>
    /// Whether the waiver covers <paramref name="finding"/>; <paramref name="test"/> is the dynamic probe id the finding
    /// came from, when there is one (findings do not carry it).
    /// </summary>
    public bool Matches(Finding finding, string? test = null) =>
        (Rule is null || string.Equals(Rule, finding.RuleId, StringComparison.Ordinal))
        && (Test is null || string.Equals(Test, test, StringComparison.Ordinal))
        && (Bundle is null || (finding.Subject is BundleSubject && string.Equals(Bundle, finding.Bundle, StringComparison.Ordinal)))
        && (Location is null || (finding.Subject is BundleSubject && string.Equals(Location, finding.Location, StringComparison.Ordinal)))
        && (Domain is null || string.Equals(Domain, finding.Domain, StringComparison.OrdinalIgnoreCase))
        && (Host is null || (finding.Subject is HostConditionSubject h && string.Equals(Host, h.Host, StringComparison.OrdinalIgnoreCase)))
        && (Condition is null || (finding.Subject is HostConditionSubject c && string.Equals(Condition, c.Condition, StringComparison.Ordinal)))
        && (Endpoint is null || (finding.Subject is EndpointSubject e && EndpointMatches(e)));

    /// <summary>The kind of test the waiver can cover: dynamic (test, host, condition), server (endpoint), otherwise static.</summary>
    public CheckKind Kind =>
        Endpoint is not null ? CheckKind.Server
        : Test is not null || Host is not null || Condition is not null ? CheckKind.Dynamic
        : Rule is not null && RuleCatalog.TryGet(Rule, out var rule) ? rule!.Kind
        : CheckKind.Static;

    /// <summary><c>by X on 2026-11-30</c>, or empty when the file does not say.</summary>
    public string Approval =>
        (ApprovedBy is null ? "" : $"by {ApprovedBy}") + (ApprovedOn is { } on ? $"{(ApprovedBy is null ? "" : " ")}on {on:yyyy-MM-dd}" : "");

    /// <summary><c>host:port</c> as the endpoint's scope prints it (an IPv6 host in brackets), or the host alone for any port.</summary>
    private bool EndpointMatches(EndpointSubject e) =>
        string.Equals(Endpoint, e.Scope, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Endpoint!.Trim('[', ']'), e.Host, StringComparison.OrdinalIgnoreCase);

    public override string ToString()
    {
        var parts = new List<string>();
        if (Rule is not null) parts.Add(Rule);
        if (Test is not null) parts.Add($"test {Test}");
        if (Bundle is not null) parts.Add($"in {Bundle}");
        if (Location is not null) parts.Add($"at {Location}");
        if (Domain is not null) parts.Add($"[{Domain}]");
        if (Host is not null) parts.Add($"host {Host}");
        if (Condition is not null) parts.Add($"under {Condition}");
        if (Endpoint is not null) parts.Add($"endpoint {Endpoint}");
        return $"{string.Join(" ", parts)} (expires {Expires:yyyy-MM-dd}; {Place})";
    }
}

/// <summary>The outcome of applying waivers to findings: which finding each live waiver suppresses, and which waivers expired.</summary>
public sealed class WaiverOutcome
{
    public static readonly WaiverOutcome None = new(new Dictionary<Finding, Waiver>(), []);

    public WaiverOutcome(IReadOnlyDictionary<Finding, Waiver> suppressed, IReadOnlyList<Waiver> expired)
    {
        Suppressed = suppressed;
        Expired = expired;
    }

    /// <summary>Findings a live waiver covers, each with the first waiver (in file order) that matched it.</summary>
    public IReadOnlyDictionary<Finding, Waiver> Suppressed { get; }

    /// <summary>Waivers past their expiry: they suppressed nothing.</summary>
    public IReadOnlyList<Waiver> Expired { get; }

    public Waiver? For(Finding finding) => Suppressed.TryGetValue(finding, out var w) ? w : null;

    public bool IsSuppressed(Finding finding) => Suppressed.ContainsKey(finding);
}
