using System.Text;

namespace Mstg.Analysis.Reporting;

/// <summary>
/// The human summary printed by <c>mstg scan</c> (and <c>mstg tls</c>): bundles or endpoints, then findings grouped by bundle, host or
/// endpoint. Every field
/// that can carry text from the app goes through <see cref="TerminalText.Escape"/>, so one report line is one line.
/// </summary>
public sealed class TextScanReport : IScanReport
{
    public string Format => "text";

    public void Write(FindingReport report, Stream output, ScanReportContext? context = null)
    {
        context ??= ScanReportContext.Default;
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        w.WriteLine($"mstg {report.Command} {E(report.Target)}  (profile {report.Profile}, {report.Duration.TotalMilliseconds:0} ms)");
        // MSTG-NETWORK-6 verdicts are only as current as the advisory data: say which data they were read against.
        if (report.AdvisoryData is { } advisories) w.WriteLine($"Library checks: {E(advisories)}");
        w.WriteLine();
        var isApp = report.Subject is AppRunSubject;
        switch (report.Subject)
        {
            case AppRunSubject app:
                w.WriteLine("Bundles:");
                foreach (var b in app.Bundles)
                {
                    var arch = b.Architectures.Count > 0 ? $" [{string.Join(",", b.Architectures)}]" : "";
                    w.WriteLine($"  {b.Kind,-14} {E(b.Path)}{E(arch)}{(b.Encrypted ? " ENCRYPTED" : "")}{(b.MinimumOs is null ? "" : $" min iOS {E(b.MinimumOs)}")}");
                }
                break;
            case EndpointsRunSubject endpoints:
                w.WriteLine("Endpoints:");
                foreach (var e in endpoints.Endpoints) w.WriteLine($"  {E(e.Place)}");
                break;
        }
        foreach (var section in report.Sections)
        {
            w.WriteLine();
            w.WriteLine($"{E(section.Heading)}:");
            foreach (var line in section.TextLines()) w.WriteLine($"  {E(line)}");
        }
        // Grouped by what the findings belong to: the bundle (static), the host (dynamic), the endpoint (server).
        foreach (var group in report.Findings.Where(f => f.Verdict != Verdict.Pass).GroupBy(f => f.Subject.Scope))
        {
            w.WriteLine();
            w.WriteLine($"{E(group.Key)}:");
            foreach (var f in group)
            {
                w.WriteLine($"  {Label(f.Verdict)} {E(f.RuleId)} ({E(f.MstgId)}) {E(f.Location)}{(f.Line is null ? "" : $" (line {f.Line})")}{(f.ShowsDomain ? $" [{E(f.Domain)}]" : "")}");
                w.WriteLine($"       {E(f.Message)}");
                if (context.Waivers.For(f) is { } waiver)
                    w.WriteLine($"       SUPPRESSED until {waiver.Expires:yyyy-MM-dd}: {E(waiver.Justification)} ({E(waiver.Place)})");
                // Evidence items are joined by LF: printed on one line with "; " between them (an LF planted inside an item
                // becomes a separator too, never a new line); every other control character is escaped.
                if (!string.IsNullOrEmpty(f.Evidence)) w.WriteLine($"       evidence: {string.Join("; ", f.Evidence.Split('\n').Select(E))}");
            }
        }
        if (report.Incomplete.Count > 0)
        {
            w.WriteLine();
            w.WriteLine(isApp ? "Input problems:" : "Not checked:");
            foreach (var p in report.Incomplete) w.WriteLine($"  {E(p.Message)}");
        }
        if (context.Waivers.Expired.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Expired waivers (they suppress nothing; renew or remove them):");
            foreach (var e in context.Waivers.Expired) w.WriteLine($"  {E(e.ToString())}");
        }
        w.WriteLine();
        var suppressed = context.Waivers.Suppressed.Count;
        var outcome = context.Outcome(report);
        w.WriteLine($"{outcome.ToUpperInvariant()}: {context.Open(report, Verdict.Fail)} failed, {context.Open(report, Verdict.Warn)} warnings, {report.Count(Verdict.Info)} info, " +
                    $"{report.Count(Verdict.Pass)} passed, {report.Count(Verdict.Skipped)} skipped{(suppressed > 0 ? $", {suppressed} suppressed by waivers" : "")}");
        if (outcome == "incomplete")
            w.WriteLine(isApp
                ? "Parts of the app were not checked (see the skipped findings and input problems above): this is not a pass."
                : "Parts of the run were not checked (see the skipped findings and what was not checked above): this is not a pass.");
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
