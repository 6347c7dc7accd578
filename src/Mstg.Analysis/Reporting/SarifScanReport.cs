using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mstg.Analysis.Reporting;

/// <summary>
/// SARIF 2.1.0 for code-scanning users (GitHub, Azure DevOps). Each rule of the catalogue is a reportingDescriptor;
/// each finding a result whose <c>kind</c> and <c>level</c> follow our verdict. Locations come from the finding's subject
/// (<see cref="FindingSubject.SarifLocation"/>): a path inside the package and line plus the plist key path or binary place
/// as a logical location (static), or the endpoint's <c>https://host:port</c> URI plus the condition or endpoint as a
/// logical location (dynamic, server). The driver lists the rules of the kinds the run applied.
/// </summary>
public sealed class SarifScanReport : IScanReport
{
    public string Format => "sarif";

    public void Write(FindingReport report, Stream output, ScanReportContext? context = null)
    {
        context ??= ScanReportContext.Default;
        var kinds = report.AppliedKinds;
        // The rules of the kinds the run applied, plus any rule a finding names (a report may carry findings of another kind).
        var named = report.Findings.Select(f => f.RuleId).ToHashSet(StringComparer.Ordinal);
        var rules = RuleCatalog.Rules.Where(r => kinds.Contains(r.Kind) || named.Contains(r.Id)).ToList();
        // A lone Info.plist is reported at the path the user scanned (for example ios/App/Info.plist in a repository),
        // so code scanning annotates that file; findings inside an IPA or .app use their path inside the package.
        var lonePlists = ((report.Subject as AppRunSubject)?.Bundles ?? []).Where(b => b.Kind == ReportedBundle.PlistOnlyKind)
            .Select(b => b.Path).ToHashSet(StringComparer.Ordinal);
        var targetUri = ToUri(Path.IsPathRooted(report.Target) ? Path.GetRelativePath(Environment.CurrentDirectory, report.Target) : report.Target);
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);

        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();

        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "mstg");
        w.WriteString("semanticVersion", ScanReports.ToolVersion);
        w.WriteString("informationUri", "https://mas.owasp.org/MASVS/");
        w.WriteStartArray("rules");
        foreach (var r in rules) WriteRule(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();

        if (!context.SourceMap.IsEmpty)
        {
            // Mapped locations are relative to the repository root; code scanning resolves SRCROOT to the checkout.
            w.WriteStartObject("originalUriBaseIds");
            w.WriteStartObject(SourceRoot);
            w.WriteStartObject("description");
            w.WriteString("text", "The root of the source repository: --source-map rewrote paths inside the package to paths under it.");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartArray("results");
        foreach (var f in report.Findings)
        {
            var where = f.Subject.SarifLocation;
            w.WriteStartObject();
            w.WriteString("ruleId", f.RuleId);
            w.WriteNumber("ruleIndex", ruleIndex[f.RuleId]);
            w.WriteString("kind", Kind(f.Verdict));
            w.WriteString("level", Level(f.Verdict));
            w.WriteStartObject("message");
            w.WriteString("text", f.Message + (f.Evidence is null ? "" : $" Evidence: {f.Evidence}"));
            w.WriteEndObject();
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            if (!where.IsPackagePath) w.WriteString("uri", where.ArtifactUri);
            else if (lonePlists.Contains(f.Bundle)) w.WriteString("uri", targetUri);
            else if (context.SourceMap.Map(where.ArtifactUri) is { } sourcePath)
            {
                w.WriteString("uri", ToUri(sourcePath));
                w.WriteString("uriBaseId", SourceRoot);
            }
            else w.WriteString("uri", ToUri(where.ArtifactUri));
            w.WriteEndObject();
            if (where.StartLine is { } startLine)
            {
                w.WriteStartObject("region");
                w.WriteNumber("startLine", startLine);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("logicalLocations");
            w.WriteStartObject();
            w.WriteString("fullyQualifiedName", where.LogicalName);
            if (where.LogicalKind is { } logicalKind) w.WriteString("kind", logicalKind);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            // Stable across runs so code scanning tracks an alert instead of opening a new one each time.
            w.WriteStartObject("partialFingerprints");
            w.WriteString("mstgFinding/v1", Fingerprint(f));
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("mstg", f.MstgId);
            w.WriteString("masvs", f.MasvsId);
            if (f.Domain is not null) w.WriteString("domain", f.Domain);
            if (f.Subject is BundleSubject) w.WriteString("bundle", f.Bundle);
            else
            {
                w.WriteString("kind", f.Kind.Name());
                w.WriteString("subject", f.Subject.Display);
            }
            w.WriteEndObject();
            if (context.Waivers.For(f) is { } waiver)
            {
                // SARIF §3.35: an accepted finding stays in the log, marked as suppressed outside the code (our waiver file).
                w.WriteStartArray("suppressions");
                w.WriteStartObject();
                w.WriteString("kind", "external");
                w.WriteString("status", "accepted");
                w.WriteString("justification", waiver.Justification);
                w.WriteStartObject("properties");
                w.WriteString("expires", waiver.Expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("source", waiver.Place);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("invocations");
        w.WriteStartObject();
        w.WriteBoolean("executionSuccessful", true);
        w.WriteStartObject("properties");
        if (report.AdvisoryData is { } advisories) w.WriteString("advisoryData", advisories);
        w.WriteEndObject();
        w.WriteStartArray("toolExecutionNotifications");
        foreach (var p in report.Incomplete)
        {
            w.WriteStartObject();
            w.WriteString("level", "warning");
            w.WriteStartObject("message");
            w.WriteString("text", p.Message);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        foreach (var expired in context.Waivers.Expired)
        {
            w.WriteStartObject();
            w.WriteString("level", "warning");
            w.WriteStartObject("message");
            w.WriteString("text", $"Expired waiver suppresses nothing: {expired}");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, RuleDescriptor r)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("name", string.Concat(r.Title.Split(' ', '/', '-', '.', '(', ')').Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s[1..])));
        w.WriteStartObject("shortDescription");
        w.WriteString("text", r.Title);
        w.WriteEndObject();
        w.WriteStartObject("fullDescription");
        w.WriteString("text", r.Rationale);
        w.WriteEndObject();
        w.WriteString("helpUri", HelpUri(r));
        w.WriteStartObject("help");
        w.WriteString("text", HelpText(r));
        w.WriteString("markdown", HelpMarkdown(r));
        w.WriteEndObject();
        w.WriteStartObject("defaultConfiguration");
        w.WriteString("level", r.DefaultVerdict == Verdict.Info ? "note" : Level(r.DefaultVerdict));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteStartArray("tags");
        w.WriteStringValue("security");
        w.WriteStringValue(r.MstgId);
        w.WriteStringValue(r.MasvsId);
        foreach (var t in r.MastgTests) w.WriteStringValue(t);
        w.WriteEndArray();
        // From the requirement table: the check kind, and the MASVS level at which the rule's requirement applies (L2: pinning).
        w.WriteString("kind", r.Kind.Name());
        w.WriteString("masvsLevel", RequirementTable.Get(r.MstgId).LevelName);
        // GitHub orders alerts by this CVSS-like score.
        w.WriteString("security-severity", r.Severity switch
        {
            Severity.Critical => "9.0",
            Severity.High => "7.5",
            Severity.Medium => "5.0",
            Severity.Low => "3.0",
            _ => "0.0",
        });
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The id code scanning resolves mapped locations against (the repository root).</summary>
    public const string SourceRoot = "SRCROOT";

    /// <summary>
    /// The rule's public help page: its first MASTG test, else the MASVS control it serves (rules that check
    /// for mistakes no MASTG test names, such as a misspelt ATS key). Both are stable OWASP URLs.
    /// </summary>
    public static string HelpUri(RuleDescriptor r) =>
        r.HelpUri ?? $"https://mas.owasp.org/MASVS/controls/{r.MasvsId}/";

    public static string HelpText(RuleDescriptor r) =>
        $"{r.Title}. {r.Rationale} Requirement: {string.Join(", ", r.Requirements)} ({r.MasvsId})" +
        $"{(r.MastgTests.Count > 0 ? $"; MASTG tests: {string.Join(", ", r.MastgTests)}" : "")}. Source: {r.Source}.";

    public static string HelpMarkdown(RuleDescriptor r) =>
        $"**{r.Title}** (`{r.Id}`)\n\n{r.Rationale}\n\n" +
        $"- Requirement: {string.Join(", ", r.Requirements)} ([{r.MasvsId}](https://mas.owasp.org/MASVS/controls/{r.MasvsId}/))\n" +
        (r.MastgTests.Count > 0 ? $"- MASTG tests: {string.Join(", ", r.MastgTests.Select(t => $"[{t}](https://mas.owasp.org/MASTG/tests/ios/MASVS-NETWORK/{t}/)"))}\n" : "") +
        $"- Source: {r.Source}\n";

    private static string ToUri(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Select(s => s == ".." ? s : Uri.EscapeDataString(s)));

    // Static findings keep the v1 input (rule, bundle, location, domain) so existing alerts stay matched; other kinds use their subject's identity.
    private static string Fingerprint(Finding f) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(f.Subject is BundleSubject
            ? $"{f.RuleId}|{f.Bundle}|{f.Location}|{f.Domain}"
            : $"{f.RuleId}|{f.Kind.Name()}|{f.Subject.Identity}|{f.Domain}")))[..32].ToLowerInvariant();

    // SARIF §3.27.9: a level other than "none" requires kind "fail", so warnings are "fail" at level "warning"
    // and evidence-only findings are "informational" at level "none" (code scanning does not raise alerts for them).
    internal static string Level(Verdict v) => v switch
    {
        Verdict.Fail => "error",
        Verdict.Warn => "warning",
        _ => "none",
    };

    internal static string Kind(Verdict v) => v switch
    {
        Verdict.Fail or Verdict.Warn => "fail",
        Verdict.Info => "informational",
        Verdict.Skipped => "notApplicable",
        _ => "pass",
    };
}
