using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>Turns a scan result into one output format. Writers are stateless sinks.</summary>
public interface IScanReport
{
    /// <summary>Name used by <c>--format</c>.</summary>
    string Format { get; }
    void Write(ScanResult result, Stream output, ScanReportContext? context = null);
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
}
