using System.Text.Json;
using Mstg.Analysis.Scanning;

namespace Mstg.Analysis.Reporting;

/// <summary>Machine-readable scan output; the schema is documented in docs/scan-json.md (schemaVersion 1).</summary>
public sealed class JsonScanReport : IScanReport
{
    public const int SchemaVersion = 1;
    public string Format => "json";

    public void Write(ScanResult result, Stream output, ScanReportContext? context = null)
    {
        context ??= ScanReportContext.Default;
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("schemaVersion", SchemaVersion);
        w.WriteStartObject("tool");
        w.WriteString("name", "mstg");
        w.WriteString("version", ScanReports.ToolVersion);
        w.WriteEndObject();
        w.WriteString("target", result.Target);
        w.WriteString("profile", result.Options.Profile.ToString());
        w.WriteString("startedAt", result.StartedAt);
        w.WriteNumber("durationMs", Math.Round(result.Duration.TotalMilliseconds));
        w.WriteString("advisoryData", Libraries.AdvisoryDatabase.DescribeFor(result.Options));

        w.WriteStartObject("summary");
        w.WriteString("verdict", context.Outcome(result));
        foreach (var v in Enum.GetValues<Verdict>()) w.WriteNumber(Name(v), result.Count(v));
        // Counted in fail/warn above as well; these no longer decide the verdict or the exit code.
        w.WriteNumber("suppressed", context.Waivers.Suppressed.Count);
        w.WriteEndObject();

        if (context.BaselinePath is not null)
        {
            w.WriteStartObject("baseline");
            w.WriteString("path", context.BaselinePath);
            w.WriteStartArray("expired");
            foreach (var e in context.Waivers.Expired) WriteWaiver(w, e);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteStartArray("bundles");
        foreach (var b in result.Bundles)
        {
            w.WriteStartObject();
            w.WriteString("path", b.Path);
            w.WriteString("kind", b.Kind.ToString());
            WriteOptional(w, "bundleIdentifier", b.BundleIdentifier);
            WriteOptional(w, "version", b.Version);
            WriteOptional(w, "minimumOs", b.MinimumOs);
            WriteOptional(w, "executable", b.Executable);
            w.WriteStartArray("architectures");
            foreach (var a in b.Architectures) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteBoolean("encrypted", b.Encrypted);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("findings");
        foreach (var f in result.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.RuleId);
            w.WriteString("verdict", Name(f.Verdict));
            w.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
            w.WriteString("title", f.Rule.Title);
            w.WriteString("mstg", f.MstgId);
            w.WriteStartArray("requirements");
            foreach (var r in f.Rule.Requirements) w.WriteStringValue(r);
            w.WriteEndArray();
            w.WriteString("masvs", f.MasvsId);
            w.WriteStartArray("mastg");
            foreach (var t in f.MastgTests) w.WriteStringValue(t);
            w.WriteEndArray();
            w.WriteString("bundle", f.Bundle);
            w.WriteString("location", f.Location);
            if (f.Line is { } line) w.WriteNumber("line", line);
            WriteOptional(w, "domain", f.Domain);
            w.WriteString("message", f.Message);
            WriteOptional(w, "evidence", f.Evidence);
            if (context.Waivers.For(f) is { } waiver)
            {
                w.WritePropertyName("suppression");
                WriteWaiver(w, waiver);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("problems");
        foreach (var p in result.Problems)
        {
            w.WriteStartObject();
            w.WriteString("source", p.Source);
            w.WriteString("place", p.Place);
            w.WriteString("problem", p.Problem);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteWaiver(Utf8JsonWriter w, Waivers.Waiver waiver)
    {
        w.WriteStartObject();
        w.WriteString("kind", "external");
        w.WriteString("rule", waiver.Rule);
        WriteOptional(w, "bundle", waiver.Bundle);
        WriteOptional(w, "location", waiver.Location);
        WriteOptional(w, "domain", waiver.Domain);
        w.WriteString("justification", waiver.Justification);
        w.WriteString("expires", waiver.Expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("source", waiver.Place);
        w.WriteEndObject();
    }

    internal static string Name(Verdict v) => v.ToString().ToLowerInvariant();

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
