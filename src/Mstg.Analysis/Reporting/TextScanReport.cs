using System.Text;
using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>
/// The human summary printed by <c>mstg scan</c>: bundles, then findings grouped by bundle, worst first. Every field
/// that can carry text from the app goes through <see cref="TerminalText.Escape"/>, so one report line is one line.
/// </summary>
public sealed class TextScanReport : IScanReport
{
    public string Format => "text";

    public void Write(ScanResult result, Stream output, ScanReportContext? context = null)
    {
        context ??= ScanReportContext.Default;
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        w.WriteLine($"mstg scan {E(result.Target)}  (profile {result.Options.Profile}, {result.Duration.TotalMilliseconds:0} ms)");
        // MSTG-NETWORK-6 verdicts are only as current as the advisory data: say which data they were read against.
        w.WriteLine($"Library checks: {E(Libraries.AdvisoryDatabase.DescribeFor(result.Options))}");
        w.WriteLine();
        w.WriteLine("Bundles:");
        foreach (var b in result.Bundles)
        {
            var arch = b.Architectures.Count > 0 ? $" [{string.Join(",", b.Architectures)}]" : "";
            w.WriteLine($"  {b.Kind,-14} {E(b.Path)}{E(arch)}{(b.Encrypted ? " ENCRYPTED" : "")}{(b.MinimumOs is null ? "" : $" min iOS {E(b.MinimumOs)}")}");
        }
        foreach (var group in result.Findings.Where(f => f.Verdict != Verdict.Pass).GroupBy(f => f.Bundle))
        {
            w.WriteLine();
            w.WriteLine($"{E(group.Key)}:");
            foreach (var f in group)
            {
                w.WriteLine($"  {Label(f.Verdict)} {E(f.RuleId)} ({E(f.MstgId)}) {E(f.Location)}{(f.Line is null ? "" : $" (line {f.Line})")}{(f.Domain is null ? "" : $" [{E(f.Domain)}]")}");
                w.WriteLine($"       {E(f.Message)}");
                if (context.Waivers.For(f) is { } waiver)
                    w.WriteLine($"       SUPPRESSED until {waiver.Expires:yyyy-MM-dd}: {E(waiver.Justification)} ({E(waiver.Place)})");
                // Evidence items are joined by LF: printed on one line with "; " between them (an LF planted inside an item
                // becomes a separator too, never a new line); every other control character is escaped.
                if (!string.IsNullOrEmpty(f.Evidence)) w.WriteLine($"       evidence: {string.Join("; ", f.Evidence.Split('\n').Select(E))}");
            }
        }
        if (result.Problems.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Input problems:");
            foreach (var p in result.Problems) w.WriteLine($"  {E(p.Message)}");
        }
        if (context.Waivers.Expired.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Expired waivers (they suppress nothing; renew or remove them):");
            foreach (var e in context.Waivers.Expired) w.WriteLine($"  {E(e.ToString())}");
        }
        w.WriteLine();
        var suppressed = context.Waivers.Suppressed.Count;
        w.WriteLine($"{context.Outcome(result).ToUpperInvariant()}: {context.Open(result, Verdict.Fail)} failed, {context.Open(result, Verdict.Warn)} warnings, {result.Count(Verdict.Info)} info, " +
                    $"{result.Count(Verdict.Pass)} passed, {result.Count(Verdict.Skipped)} skipped{(suppressed > 0 ? $", {suppressed} suppressed by waivers" : "")}");
        if (context.Outcome(result) == "incomplete")
            w.WriteLine("Parts of the app were not checked (see the skipped findings and input problems above): this is not a pass.");
    }

    private static string E(string? text) => TerminalText.Escape(text);

    private static string Label(Verdict v) => v switch
    {
        Verdict.Fail => "FAIL",
        Verdict.Warn => "WARN",
        Verdict.Info => "INFO",
        Verdict.Skipped => "SKIP",
        _ => "PASS",
    };
}
