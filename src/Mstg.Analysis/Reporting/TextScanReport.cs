using System.Text;
using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>The human summary printed by <c>mstg scan</c>: bundles, then findings grouped by bundle, worst first.</summary>
public sealed class TextScanReport : IScanReport
{
    public string Format => "text";

    public void Write(ScanResult result, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        w.WriteLine($"mstg scan {result.Target}  (profile {result.Options.Profile}, {result.Duration.TotalMilliseconds:0} ms)");
        // MSTG-NETWORK-6 verdicts are only as current as the advisory data: say which data they were read against.
        w.WriteLine($"Library checks: {Libraries.AdvisoryDatabase.DescribeFor(result.Options)}");
        w.WriteLine();
        w.WriteLine("Bundles:");
        foreach (var b in result.Bundles)
        {
            var arch = b.Architectures.Count > 0 ? $" [{string.Join(",", b.Architectures)}]" : "";
            w.WriteLine($"  {b.Kind,-14} {b.Path}{arch}{(b.Encrypted ? " ENCRYPTED" : "")}{(b.MinimumOs is null ? "" : $" min iOS {b.MinimumOs}")}");
        }
        foreach (var group in result.Findings.Where(f => f.Verdict != Verdict.Pass).GroupBy(f => f.Bundle))
        {
            w.WriteLine();
            w.WriteLine($"{group.Key}:");
            foreach (var f in group)
            {
                w.WriteLine($"  {Label(f.Verdict)} {f.RuleId} ({f.MstgId}) {f.Location}{(f.Line is null ? "" : $" (line {f.Line})")}{(f.Domain is null ? "" : $" [{f.Domain}]")}");
                w.WriteLine($"       {f.Message}");
                if (!string.IsNullOrEmpty(f.Evidence)) w.WriteLine($"       evidence: {f.Evidence.ReplaceLineEndings(" ")}");
            }
        }
        if (result.Problems.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Input problems:");
            foreach (var p in result.Problems) w.WriteLine($"  {p.Message}");
        }
        w.WriteLine();
        w.WriteLine($"{result.Outcome.ToUpperInvariant()}: {result.Count(Verdict.Fail)} failed, {result.Count(Verdict.Warn)} warnings, {result.Count(Verdict.Info)} info, " +
                    $"{result.Count(Verdict.Pass)} passed, {result.Count(Verdict.Skipped)} skipped");
        if (result.IsIncomplete)
            w.WriteLine("Parts of the app were not checked (see the skipped findings and input problems above): this is not a pass.");
    }

    private static string Label(Verdict v) => v switch
    {
        Verdict.Fail => "FAIL",
        Verdict.Warn => "WARN",
        Verdict.Info => "INFO",
        Verdict.Skipped => "SKIP",
        _ => "PASS",
    };
}
