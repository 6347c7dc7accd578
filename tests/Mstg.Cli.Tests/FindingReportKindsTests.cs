using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Mstg.Analysis.Reporting;

namespace Mstg.Cli.Tests;

/// <summary>
/// Dynamic and server findings go through the same reporters as a scan: text, JSON (valid against the published schema)
/// and SARIF, each naming the host and condition or the endpoint instead of a bundle.
/// </summary>
public class FindingReportKindsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static Finding Server(string rule, Verdict verdict, string message) => new()
    {
        RuleId = rule, Verdict = verdict, Severity = RuleCatalog.Get(rule).Severity, Message = message,
        Subject = new EndpointSubject("api.example.com", 443), Evidence = "ServerHello version 0x0301",
    };

    /// <summary>What <c>mstg tls api.example.com 127.0.0.1:8443</c> would report: one endpoint accepts TLS 1.0, the other did not answer.</summary>
    public static FindingReport ServerReport => new()
    {
        Command = "tls", Target = "api.example.com:443 127.0.0.1:8443", Profile = Profile.L1, StartedAt = Start, Duration = TimeSpan.FromMilliseconds(84),
        Subject = new EndpointsRunSubject([new EndpointSubject("api.example.com", 443), new EndpointSubject("127.0.0.1", 8443) { Sni = "api.example.com" }]),
        Findings =
        [
            Server(RuleCatalog.ServerTlsLegacyVersion, Verdict.Fail, "api.example.com:443 accepts TLS 1.0."),
            Server(RuleCatalog.ServerWeakKey, Verdict.Pass, "RSA 2048."),
        ],
        Incomplete = [new IncompletePart("127.0.0.1:8443", "handshake", "connection refused")],
    };

    /// <summary>A dynamic run: the app accepted the untrusted-ca condition for api.example.com and refused expired.</summary>
    public static FindingReport DynamicReport => new()
    {
        Command = "dynamic", Target = "com.example.app", Profile = Profile.L2, StartedAt = Start, Duration = TimeSpan.FromSeconds(12),
        Subject = new EndpointsRunSubject([new EndpointSubject("api.example.com", 443)], CheckKind.Dynamic),
        Findings =
        [
            new Finding
            {
                RuleId = RuleCatalog.DynAcceptsInvalidCert, Verdict = Verdict.Fail, Severity = Severity.Critical,
                Message = "api.example.com accepted the untrusted-ca condition: the app sent GET /v1/accounts.",
                Subject = new HostConditionSubject("api.example.com", "untrusted-ca") { Port = 443 },
            },
            new Finding
            {
                RuleId = RuleCatalog.DynAcceptsInvalidCert, Verdict = Verdict.Pass, Severity = Severity.Critical,
                Message = "The app refused the expired condition (alert certificate_expired).",
                Subject = new HostConditionSubject("api.example.com", "expired") { Port = 443 },
            },
        ],
        Incomplete = [],
    };

    private static string Write(IScanReport writer, FindingReport report)
    {
        using var buffer = new MemoryStream();
        writer.Write(report, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Text_report_groups_server_findings_by_endpoint_and_says_what_was_not_checked()
    {
        var text = Write(new TextScanReport(), ServerReport);
        var lines = text.Split('\n');
        lines[0].Should().Be("mstg tls api.example.com:443 127.0.0.1:8443  (profile L1, 84 ms)");
        text.Should().NotContain("Library checks:", "no library rule ran").And.NotContain("Bundles:");
        text.Should().Contain("Endpoints:\n  api.example.com:443\n  127.0.0.1:8443 (SNI api.example.com)\n");
        text.Should().Contain("api.example.com:443:\n  FAIL SERVER-TLS-LEGACY-VERSION (MSTG-NETWORK-2) api.example.com:443\n       api.example.com:443 accepts TLS 1.0.\n       evidence: ServerHello version 0x0301\n");
        text.Should().Contain("Not checked:\n  127.0.0.1:8443: handshake: connection refused\n");
        text.Should().Contain("FAIL: 1 failed, 0 warnings, 0 info, 1 passed, 0 skipped");
    }

    [Fact]
    public void Text_report_names_host_and_condition_of_dynamic_findings_and_an_unprobed_endpoint_is_not_a_pass()
    {
        var text = Write(new TextScanReport(), DynamicReport);
        text.Should().Contain("api.example.com:443:\n  FAIL DYN-ACCEPTS-INVALID-CERT (MSTG-NETWORK-3) condition untrusted-ca\n");
        text.Should().NotContain("condition expired", "passes are counted, not listed");

        var onlyIncomplete = Write(new TextScanReport(), ServerReport with { Findings = [Server(RuleCatalog.ServerWeakKey, Verdict.Pass, "RSA 2048.")] });
        onlyIncomplete.Should().Contain("INCOMPLETE: 0 failed").And.Contain("Parts of the run were not checked").And.Contain("this is not a pass");
    }

    // Built once: the library registers a schema under its $id and refuses to register it again.
    private static readonly Lazy<JsonSchema> Schema =
        new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(MstgProcess.RepoRoot, "docs", "scan-json.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static EvaluationResults Validate(JsonNode document) =>
        Schema.Value.Evaluate(JsonDocument.Parse(document.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    private static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    public static TheoryData<string> Reports => new() { "server", "dynamic" };

    private static FindingReport Report(string name) => name == "server" ? ServerReport : DynamicReport;

    [Theory]
    [MemberData(nameof(Reports))]
    public void Json_report_of_dynamic_and_server_findings_matches_the_published_schema(string name)
    {
        var json = JsonNode.Parse(Write(new JsonScanReport(), Report(name)))!;
        var results = Validate(json);
        results.IsValid.Should().BeTrue(Errors(results));

        var finding = json["findings"]![0]!;
        finding["bundle"].Should().BeNull("only static findings belong to a bundle");
        finding["kind"]!.GetValue<string>().Should().Be(name);
        finding["domain"]!.GetValue<string>().Should().Be("api.example.com");
        var subject = finding["subject"]!;
        subject["host"]!.GetValue<string>().Should().Be("api.example.com");
        subject["port"]!.GetValue<int>().Should().Be(443);
        if (name == "dynamic") subject["condition"]!.GetValue<string>().Should().Be("untrusted-ca");
        json["advisoryData"].Should().BeNull();
        json["summary"]!["verdict"]!.GetValue<string>().Should().Be("fail");
        if (name == "server")
        {
            json["endpoints"]!.AsArray().Select(e => e!["display"]!.GetValue<string>()).Should().Equal("api.example.com:443", "127.0.0.1:8443 (SNI api.example.com)");
            json["problems"]![0]!["source"]!.GetValue<string>().Should().Be("127.0.0.1:8443");
        }
    }

    [Theory]
    [InlineData("host")]
    [InlineData("condition")]
    [InlineData("kind")]
    public void The_schema_refuses_a_dynamic_finding_whose_subject_is_incomplete(string member)
    {
        // Proves the check above can fail: the same report with one member of the subject removed.
        var json = JsonNode.Parse(Write(new JsonScanReport(), DynamicReport))!;
        json["findings"]![0]!["subject"]!.AsObject().Remove(member);
        Validate(json).IsValid.Should().BeFalse();
    }

    [Fact]
    public void The_schema_refuses_a_static_finding_without_its_bundle()
    {
        var json = JsonNode.Parse(Write(new JsonScanReport(), DynamicReport))!;
        var finding = json["findings"]![0]!.AsObject();
        finding["kind"] = "static";
        Validate(json).IsValid.Should().BeFalse("a static finding names its bundle");
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void Sarif_places_dynamic_and_server_findings_at_the_endpoint_uri_with_a_logical_location(string name)
    {
        using var sarif = JsonDocument.Parse(Write(new SarifScanReport(), Report(name)));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var kind = name == "server" ? CheckKind.Server : CheckKind.Dynamic;
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        rules.Should().Equal(RuleCatalog.OfKind(kind).Select(r => r.Id), "the driver lists the rules of the kinds the run applied");
        foreach (var rule in run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray())
        {
            var properties = rule.GetProperty("properties");
            properties.GetProperty("kind").GetString().Should().Be(name);
            // The level comes from the requirement table: pinning (MSTG-NETWORK-4) is L2.
            var requirement = RuleCatalog.Get(rule.GetProperty("id").GetString()!).MstgId;
            properties.GetProperty("masvsLevel").GetString().Should().Be(requirement == "MSTG-NETWORK-4" ? "L2" : "L1");
        }

        var result = run.GetProperty("results")[0];
        result.GetProperty("ruleId").GetString().Should().Be(Report(name).Findings[0].RuleId);
        rules[result.GetProperty("ruleIndex").GetInt32()].Should().Be(result.GetProperty("ruleId").GetString());
        result.GetProperty("level").GetString().Should().Be("error");
        var location = result.GetProperty("locations")[0];
        var physical = location.GetProperty("physicalLocation");
        physical.GetProperty("artifactLocation").GetProperty("uri").GetString().Should().Be("https://api.example.com:443");
        physical.TryGetProperty("region", out _).Should().BeFalse("an endpoint has no lines");
        var logical = location.GetProperty("logicalLocations")[0];
        logical.GetProperty("fullyQualifiedName").GetString().Should().Be(name == "server" ? "api.example.com:443" : "api.example.com:443/untrusted-ca");
        logical.GetProperty("kind").GetString().Should().Be("resource");
        result.GetProperty("properties").GetProperty("kind").GetString().Should().Be(name);
        result.GetProperty("properties").TryGetProperty("bundle", out _).Should().BeFalse();
        // Distinct subjects give distinct, stable fingerprints.
        var prints = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("partialFingerprints").GetProperty("mstgFinding/v1").GetString()).ToList();
        prints.Should().OnlyHaveUniqueItems();
        using var again = JsonDocument.Parse(Write(new SarifScanReport(), Report(name)));
        again.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("partialFingerprints").GetProperty("mstgFinding/v1").GetString()).Should().Equal(prints);
    }
}
