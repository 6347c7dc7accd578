using System.Text.Json;
using System.Text.Json.Serialization;
using Mstg.Tls;

namespace Mstg.ServerTls;

/// <summary>
/// What the server prober measured beyond its findings, per endpoint: protocols, suites per protocol with the server's
/// order, groups, ALPN, the served chain and the nscurl-style ATS matrix. The text report prints it under "Servers",
/// the JSON report as the <c>servers</c> member (docs/tls.md, docs/scan-json.schema.json).
/// </summary>
public sealed record ServerDetailSection(IReadOnlyList<EndpointResult> Endpoints) : ReportSection
{
    public override string Heading => "Servers";
    public override string JsonName => "servers";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public override void WriteJson(Utf8JsonWriter writer) =>
        JsonSerializer.Serialize(writer, Endpoints.Select(e => new
        {
            endpoint = ServerFindings.SubjectOf(e.Report.Endpoint).Place,
            serverName = e.Report.Endpoint.Name,
            report = e.Report,
            ats = e.Ats,
        }), JsonOptions);

    public override IEnumerable<string> TextLines()
    {
        foreach (var e in Endpoints)
        {
            var r = e.Report;
            yield return $"{ServerFindings.SubjectOf(r.Endpoint).Place}{(r.Address is null ? "" : $" at {r.Address}")}: {r.Status} in {r.Elapsed.TotalMilliseconds:0} ms, {r.Connections} connections";
            if (r.Problem is not null) yield return $"  problem: {r.Problem}";
            if (r.Status != ProbeStatus.Probed) continue;
            yield return $"  protocols: {string.Join(", ", r.Protocols.Select(p => $"{p.Name} {(p.Accepted ? "yes" : "no")}"))}";
            foreach (var p in r.AcceptedProtocols.Reverse())
                yield return $"  {p.Name} suites ({(p.ServerPreference switch { true => "server order", false => "client order", null => "one suite" })}): " +
                             string.Join(", ", p.Suites.Select(s => s.Name + (s.ForwardSecret ? "" : " [no FS]") + (s.Strength == SuiteStrength.Good ? "" : $" [{s.Strength.ToString().ToLowerInvariant()}]")));
            yield return $"  groups: {(r.Groups.Count == 0 ? "none seen" : string.Join(", ", r.Groups))}; ALPN: {r.Alpn ?? "none"}";
            if (r.Chain is { } c)
            {
                var l = c.Leaf;
                yield return $"  certificate: {l.Subject}, {l.KeyAlgorithm} {l.KeyBits}, {l.SignatureAlgorithm}, {l.NotBefore:yyyy-MM-dd}..{l.NotAfter:yyyy-MM-dd} ({l.LifetimeDays:0} days), " +
                             $"SAN {(l.DnsNames.Count == 0 ? "none" : string.Join(" ", l.DnsNames))}";
                yield return $"  chain: {c.Served.Count} served ({c.Source}), {c.Trust.ToString().ToLowerInvariant()}, name {(c.HostnameMatches ? "matches" : "does not match")}, " +
                             $"OCSP stapled {(c.OcspStapled is { } o ? (o ? "yes" : "no") : "unknown")}, SCTs {(l.HasEmbeddedScts ? "embedded" : c.SctInHandshake ? "in TLS extension" : "none")}";
                foreach (var s in c.Served) yield return $"    {s.Subject}  <-  {s.Issuer}  SPKI {s.SpkiSha256}";
            }
            if (e.Ats.Known)
            {
                yield return $"  ATS: {(e.Ats.DefaultConnects ? "default ATS connects" : e.Ats.CheapestException is { } x ? $"needs {x}" : "no ATS setting connects")}";
                foreach (var row in e.Ats.Matrix) yield return $"    {(row.Passes ? "PASS" : "FAIL")}  {row.Title}";
            }
        }
    }
}
