using Mstg.Analysis.Rules;
using Mstg.Bundles;

namespace Mstg.Analysis.Scanning;

/// <summary>What the scan saw of one bundle, for reports (the findings carry the verdicts).</summary>
public sealed record BundleSummary(
    string Path,
    BundleKind Kind,
    string? BundleIdentifier,
    string? Version,
    string? MinimumOs,
    string? Executable,
    IReadOnlyList<string> Architectures,
    bool Encrypted);

/// <summary>The outcome of scanning one app.</summary>
public sealed record ScanResult
{
    public required string Target { get; init; }
    public required ScanOptions Options { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }
    public required IReadOnlyList<BundleSummary> Bundles { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>Input problems that did not stop the scan (a nested bundle's broken plist, an unreadable binary).</summary>
    public required IReadOnlyList<MstgInputException> Problems { get; init; }

    /// <summary>Wall time spent per stage (reading Mach-O files, each rule), summed over bundles: for <c>--timings</c> and benchmarks.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Timings { get; init; } = new Dictionary<string, TimeSpan>();

    public int Count(Verdict verdict) => Findings.Count(f => f.Verdict == verdict);
    public bool HasFailures => Findings.Any(f => f.Verdict == Verdict.Fail);

    /// <summary>Nothing failed, but part of the app was not checked (skipped rules, unreadable files): not a pass.</summary>
    public bool IsIncomplete => !HasFailures && (Count(Verdict.Skipped) > 0 || Problems.Count > 0);

    /// <summary>The one-word outcome reports print: <c>fail</c>, <c>incomplete</c> or <c>pass</c>.</summary>
    public string Outcome => HasFailures ? "fail" : IsIncomplete ? "incomplete" : "pass";

    /// <summary>Findings of the given rules, worst first.</summary>
    public IReadOnlyList<Finding> For(IEnumerable<string> ruleIds)
    {
        var set = ruleIds.ToHashSet(StringComparer.Ordinal);
        return Findings.Where(f => set.Contains(f.RuleId)).OrderByDescending(f => f.Verdict).ThenBy(f => f.Bundle).ToList();
    }
}
