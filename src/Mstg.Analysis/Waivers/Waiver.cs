namespace Mstg.Analysis.Waivers;

/// <summary>
/// An accepted finding: someone decided a rule's finding is acceptable for this app, said why, and until when.
/// <see cref="Rule"/> is required; <see cref="Bundle"/>, <see cref="Location"/> and <see cref="Domain"/> narrow the
/// match when given (exact text, the domain without regard to case). Format: docs/waivers.md.
/// </summary>
/// <param name="Expires">The last day the waiver holds; from the next day on it suppresses nothing and is reported.</param>
/// <param name="Place">Where the entry was read from (<c>mstg-baseline.json: waivers[2]</c>), for messages.</param>
public sealed record Waiver(string Rule, string? Bundle, string? Location, string? Domain, string Justification, DateOnly Expires, string Place)
{
    public bool IsExpired(DateOnly today) => today > Expires;

    public bool Matches(Finding finding) =>
        string.Equals(Rule, finding.RuleId, StringComparison.Ordinal)
        && (Bundle is null || string.Equals(Bundle, finding.Bundle, StringComparison.Ordinal))
        && (Location is null || string.Equals(Location, finding.Location, StringComparison.Ordinal))
        && (Domain is null || string.Equals(Domain, finding.Domain, StringComparison.OrdinalIgnoreCase));

    public override string ToString() =>
        $"{Rule}{(Bundle is null ? "" : $" in {Bundle}")}{(Location is null ? "" : $" at {Location}")}{(Domain is null ? "" : $" [{Domain}]")} (expires {Expires:yyyy-MM-dd}; {Place})";
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
