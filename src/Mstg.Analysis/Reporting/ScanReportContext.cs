using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>What a report needs besides the scan result: accepted findings and where package paths live in the sources.</summary>
public sealed record ScanReportContext
{
    public static readonly ScanReportContext Default = new();

    public Waivers.WaiverOutcome Waivers { get; init; } = Analysis.Waivers.WaiverOutcome.None;

    /// <summary>The waiver file read, for the report header; null without <c>--baseline</c>.</summary>
    public string? BaselinePath { get; init; }

    public SourceMap SourceMap { get; init; } = SourceMap.Empty;

    /// <summary>Fail and warn findings no waiver covers: the ones that decide the exit code.</summary>
    public int Open(ScanResult result, Verdict verdict) => result.Findings.Count(f => f.Verdict == verdict && !Waivers.IsSuppressed(f));

    /// <summary>The scan's outcome once accepted findings are set aside: a waived fail no longer makes it "fail".</summary>
    public string Outcome(ScanResult result) =>
        Open(result, Verdict.Fail) > 0 ? "fail" : result.Count(Verdict.Skipped) > 0 || result.Problems.Count > 0 ? "incomplete" : "pass";
}
