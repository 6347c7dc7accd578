using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>
/// Turns a <see cref="FindingReport"/> into one output format. Writers are stateless sinks; they read findings through
/// their subjects, so static, dynamic and server findings go through the same writers.
/// </summary>
public interface IScanReport
{
    /// <summary>Name used by <c>--format</c>.</summary>
    string Format { get; }
    void Write(FindingReport report, Stream output, ScanReportContext? context = null);
}

public static class ScanReports
{
    public static IReadOnlyList<IScanReport> All { get; } = [new TextScanReport(), new JsonScanReport(), new SarifScanReport()];

    public static IScanReport? ForFormat(string format) =>
        All.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase));

    /// <summary>The tool version written into reports (assembly informational version without the build hash).</summary>
    public static string ToolVersion { get; } =
        (typeof(ScanReports).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>Writes a scan: the scan result as a <see cref="FindingReport"/> (<see cref="ToReport"/>).</summary>
    public static void Write(this IScanReport writer, ScanResult result, Stream output, ScanReportContext? context = null) =>
        writer.Write(result.ToReport(), output, context);

    /// <summary>
    /// The report of a static scan: command <c>scan</c>, the app's bundles as the run's subject, the input problems as the
    /// parts not checked, the static rules as the rules applied and the advisory data the library rules used.
    /// </summary>
    public static FindingReport ToReport(this ScanResult result) => new()
    {
        Command = "scan",
        Target = result.Target,
        Profile = result.Options.Profile,
        StartedAt = result.StartedAt,
        Duration = result.Duration,
        Subject = new AppRunSubject(result.Bundles.Select(b => new ReportedBundle(
            b.Path, b.Kind.ToString(), b.BundleIdentifier, b.Version, b.MinimumOs, b.Executable, b.Architectures, b.Encrypted)).ToList()),
        Findings = result.Findings,
        Incomplete = result.Problems.Select(IncompletePart.From).ToList(),
        Kinds = [CheckKind.Static],
        AdvisoryData = Libraries.AdvisoryDatabase.DescribeFor(result.Options),
    };
}
