using System.Text.Json;

namespace Mstg.Analysis.Reporting;

/// <summary>Machine-readable scan output; the schema is documented in docs/scan-json.md (schemaVersion 1).</summary>
public sealed class JsonScanReport : IScanReport
{
    public const int SchemaVersion = 1;
    public string Format => "json";

    public void Write(FindingReport report, Stream output, ScanReportContext? context = null)
    {
        context ??= ScanReportContext.Default;
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("schemaVersion", SchemaVersion);
        w.WriteStartObject("tool");
        w.WriteString("name", "mstg");
        w.WriteString("version", ScanReports.ToolVersion);
        w.WriteEndObject();
        w.WriteString("target", report.Target);
        w.WriteString("profile", report.Profile.ToString());
        w.WriteString("startedAt", report.StartedAt);
        w.WriteNumber("durationMs", Math.Round(report.Duration.TotalMilliseconds));
        WriteOptional(w, "advisoryData", report.AdvisoryData);

        w.WriteStartObject("summary");
        w.WriteString("verdict", context.Outcome(report));
        foreach (var v in Enum.GetValues<Verdict>()) w.WriteNumber(Name(v), report.Count(v));
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

        switch (report.Subject)
        {
            case AppRunSubject app: WriteBundles(w, app.Bundles); break;
            case EndpointsRunSubject endpoints:
                w.WriteStartArray("endpoints");
                foreach (var e in endpoints.Endpoints) WriteSubject(w, e);
                w.WriteEndArray();
                break;
        }

        foreach (var section in report.Sections)
        {
            w.WritePropertyName(section.JsonName);
            section.WriteJson(w);
        }

        w.WriteStartArray("findings");
        foreach (var f in report.Findings) WriteFinding(w, f, context.Waivers.For(f));
        w.WriteEndArray();

        w.WriteStartArray("problems");
        foreach (var p in report.Incomplete)
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

    /// <summary>
    /// One finding as the <c>findings</c> array of the scan JSON has it (docs/scan-json.md): the dynamic suite writes its
    /// findings with this too, so <c>dynamic-verdicts.json</c> and the scan report read alike.
    /// </summary>
    public static void WriteFinding(Utf8JsonWriter w, Finding f, Waivers.Waiver? waiver = null)
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
        // Static findings keep their flat bundle/location/line; every finding also carries its kind and structured subject.
        if (f.Subject is BundleSubject) w.WriteString("bundle", f.Bundle);
        w.WriteString("location", f.Location);
        if (f.Line is { } line) w.WriteNumber("line", line);
        WriteOptional(w, "domain", f.Domain);
        w.WriteString("message", f.Message);
        WriteOptional(w, "evidence", f.Evidence);
        w.WriteString("kind", f.Kind.Name());
        w.WritePropertyName("subject");
        WriteSubject(w, f.Subject);
        if (waiver is not null)
        {
            w.WritePropertyName("suppression");
            WriteWaiver(w, waiver);
        }
        w.WriteEndObject();
    }

    /// <summary>Findings as a JSON array in the scan report's shape (<see cref="WriteFinding"/>).</summary>
    public static string FindingsJson(IEnumerable<Finding> findings)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var f in findings) WriteFinding(w, f);
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteBundles(Utf8JsonWriter w, IReadOnlyList<ReportedBundle> bundles)
    {
        w.WriteStartArray("bundles");
        foreach (var b in bundles)
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
    }

    /// <summary>The subject as an object: <c>kind</c>, then the fields of its type (bundle/location/line, host/condition/port, host/port/sni).</summary>
    private static void WriteSubject(Utf8JsonWriter w, FindingSubject subject)
    {
        w.WriteStartObject();
        w.WriteString("kind", subject.Kind.Name());
        switch (subject)
        {
            case BundleSubject b:
                w.WriteString("bundle", b.Bundle);
                w.WriteString("location", b.Location);
                if (b.Line is { } line) w.WriteNumber("line", line);
                break;
            case HostConditionSubject h:
                w.WriteString("host", h.Host);
                w.WriteString("condition", h.Condition);
                if (h.Port is { } port) w.WriteNumber("port", port);
                break;
            case EndpointSubject e:
                w.WriteString("host", e.Host);
                w.WriteNumber("port", e.Port);
                WriteOptional(w, "sni", e.Sni);
                break;
        }
        w.WriteString("display", subject.Display);
        w.WriteEndObject();
    }

    private static void WriteWaiver(Utf8JsonWriter w, Waivers.Waiver waiver)
    {
        w.WriteStartObject();
        w.WriteString("kind", "external");
        WriteOptional(w, "rule", waiver.Rule);
        WriteOptional(w, "test", waiver.Test);
        WriteOptional(w, "bundle", waiver.Bundle);
        WriteOptional(w, "location", waiver.Location);
        WriteOptional(w, "domain", waiver.Domain);
        WriteOptional(w, "host", waiver.Host);
        WriteOptional(w, "condition", waiver.Condition);
        WriteOptional(w, "endpoint", waiver.Endpoint);
        w.WriteString("justification", waiver.Justification);
        WriteOptional(w, "approvedBy", waiver.ApprovedBy);
        WriteOptional(w, "approvedOn", waiver.ApprovedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
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
