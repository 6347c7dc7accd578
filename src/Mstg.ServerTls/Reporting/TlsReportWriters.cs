using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mstg.Tls;

namespace Mstg.ServerTls.Reporting;

/// <summary>The three output formats of <c>mstg tls</c>. Own writers until the shared reporters accept endpoint findings.</summary>
public static class TlsReportWriters
{
    public static readonly IReadOnlyList<string> Formats = ["text", "json", "sarif"];

    public static string Write(TlsRun run, string format) => format switch
    {
        "text" => Text(run),
        "json" => Json(run),
        "sarif" => Sarif(run),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "text, json or sarif"),
    };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Json(TlsRun run)
    {
        var doc = new
        {
            tool = "mstg tls",
            started = run.Started,
            app = run.App,
            outcome = run.Outcome,
            endpoints = run.Endpoints.Select(e => new
            {
                endpoint = e.Report.Endpoint.ToString(),
                serverName = e.Report.Endpoint.Name,
                report = e.Report,
                ats = e.Ats,
                findings = e.Findings.Select(FindingJson),
            }),
        };
        return JsonSerializer.Serialize(doc, JsonOptions) + "\n";
    }

    private static object FindingJson(Finding f) => new
    {
        ruleId = f.RuleId, verdict = f.Verdict.ToString().ToLowerInvariant(), severity = f.Severity.ToString().ToLowerInvariant(),
        endpoint = f.Location, domain = f.Domain, message = f.Message, evidence = f.Evidence,
    };

    public static string Sarif(TlsRun run)
    {
        var rules = new JsonArray(ServerRuleIds.All.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["shortDescription"] = new JsonObject { ["text"] = r.Title },
            ["properties"] = new JsonObject { ["mstg"] = r.MstgId },
        }).ToArray());
        var results = new JsonArray(run.Findings.Where(f => f.Verdict != Verdict.Pass).Select(f => (JsonNode)new JsonObject
        {
            ["ruleId"] = f.RuleId,
            ["level"] = f.Verdict switch { Verdict.Fail => "error", Verdict.Warn => "warning", _ => "note" },
            ["kind"] = f.Verdict == Verdict.Skipped ? "notApplicable" : "fail",
            ["message"] = new JsonObject { ["text"] = f.Message },
            ["locations"] = new JsonArray(new JsonObject
            {
                ["logicalLocations"] = new JsonArray(new JsonObject { ["name"] = f.Location, ["kind"] = "endpoint" }),
            }),
        }).ToArray());
        var sarif = new JsonObject
        {
            ["version"] = "2.1.0",
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = new JsonObject { ["name"] = "mstg tls", ["rules"] = rules } },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static string Text(TlsRun run)
    {
        var sb = new StringBuilder();
        foreach (var e in run.Endpoints)
        {
            var r = e.Report;
            sb.AppendLine($"{r.Endpoint}{(r.Endpoint.ServerName is null ? "" : $" (SNI {r.Endpoint.ServerName})")}{(r.Address is null ? "" : $" at {r.Address}")}: {r.Status}" +
                          $" in {r.Elapsed.TotalMilliseconds:0} ms, {r.Connections} connections");
            if (r.Problem is not null) sb.AppendLine($"  problem: {Clean(r.Problem)}");
            if (r.Status == ProbeStatus.Probed)
            {
                sb.AppendLine($"  protocols: {string.Join(", ", r.Protocols.Select(p => $"{p.Name} {(p.Accepted ? "yes" : "no")}"))}");
                foreach (var p in r.AcceptedProtocols.Reverse())
                    sb.AppendLine($"  {p.Name} suites ({(p.ServerPreference switch { true => "server order", false => "client order", null => "one suite" })}): " +
                                  string.Join(", ", p.Suites.Select(s => s.Name + (s.ForwardSecret ? "" : " [no FS]") + (s.Strength == SuiteStrength.Good ? "" : $" [{s.Strength.ToString().ToLowerInvariant()}]"))));
                sb.AppendLine($"  groups: {(r.Groups.Count == 0 ? "none seen" : string.Join(", ", r.Groups))}; ALPN: {r.Alpn ?? "none"}");
                if (r.Chain is { } c)
                {
                    var l = c.Leaf;
                    sb.AppendLine($"  certificate: {Clean(l.Subject)}, {l.KeyAlgorithm} {l.KeyBits}, {l.SignatureAlgorithm}, {l.NotBefore:yyyy-MM-dd}..{l.NotAfter:yyyy-MM-dd} ({l.LifetimeDays:0} days), " +
                                  $"SAN {(l.DnsNames.Count == 0 ? "none" : Clean(string.Join(" ", l.DnsNames)))}");
                    sb.AppendLine($"  chain: {c.Served.Count} served ({c.Source}), {c.Trust.ToString().ToLowerInvariant()}, name {(c.HostnameMatches ? "matches" : "does not match")}, " +
                                  $"OCSP stapled {(c.OcspStapled is { } o ? (o ? "yes" : "no") : "unknown")}, SCTs {(l.HasEmbeddedScts ? "embedded" : c.SctInHandshake ? "in TLS extension" : "none")}");
                    foreach (var s in c.Served) sb.AppendLine($"    {Clean(s.Subject)}  <-  {Clean(s.Issuer)}  SPKI {s.SpkiSha256}");
                }
                if (e.Ats.Known)
                {
                    sb.AppendLine($"  ATS: {(e.Ats.DefaultConnects ? "default ATS connects" : e.Ats.CheapestException is { } x ? $"needs {x}" : "no ATS setting connects")}");
                    foreach (var row in e.Ats.Matrix) sb.AppendLine($"    {(row.Passes ? "PASS" : "FAIL")}  {row.Title}");
                }
            }
            foreach (var f in e.Findings)
                sb.AppendLine($"  {f.Verdict.ToString().ToUpperInvariant(),-7} {f.RuleId}: {Clean(f.Message)}");
            sb.AppendLine();
        }
        sb.AppendLine($"mstg tls: {run.Outcome}: {run.Endpoints.Count} endpoint(s), {run.Count(Verdict.Fail)} failed, {run.Count(Verdict.Warn)} warnings, {run.Count(Verdict.Skipped)} skipped");
        return sb.ToString();
    }

    // Server-supplied text (subjects, names) goes to a terminal: no control characters.
    private static string Clean(string s) => new(s.Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());
}
