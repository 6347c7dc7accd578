using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>What a report needs besides the findings: accepted findings and where package paths live in the sources.</summary>
public sealed record ScanReportContext
{
    public static readonly ScanReportContext Default = new();

    public Waivers.WaiverOutcome Waivers { get; init; } = Analysis.Waivers.WaiverOutcome.None;

    /// <summary>The waiver file read, for the report header; null without <c>--baseline</c>.</summary>
    public string? BaselinePath { get; init; }

    public SourceMap SourceMap { get; init; } = SourceMap.Empty;

    /// <summary>Fail and warn findings no waiver covers: the ones that decide the exit code.</summary>
    public int Open(FindingReport report, Verdict verdict) => Open(report.Findings, verdict);

    public int Open(ScanResult result, Verdict verdict) => Open(result.Findings, verdict);

    /// <summary>The run's outcome once accepted findings are set aside: a waived fail no longer makes it "fail".</summary>
    public string Outcome(FindingReport report) =>
        Outcome(report.Findings, report.Count(Verdict.Skipped) > 0 || report.Incomplete.Count > 0);

    public string Outcome(ScanResult result) =>
        Outcome(result.Findings, result.Count(Verdict.Skipped) > 0 || result.Problems.Count > 0);

    private int Open(IReadOnlyList<Finding> findings, Verdict verdict) => findings.Count(f => f.Verdict == verdict && !Waivers.IsSuppressed(f));

    private string Outcome(IReadOnlyList<Finding> findings, bool incomplete) =>
        Open(findings, Verdict.Fail) > 0 ? "fail" : incomplete ? "incomplete" : "pass";
}
