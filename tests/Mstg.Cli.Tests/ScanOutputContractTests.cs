using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Mstg.Fixtures.ReferenceApps;

namespace Mstg.Cli.Tests;

/// <summary>What code scanning and scripts rely on: SARIF rule help, mapped locations, and the published JSON schema.</summary>
public class ScanOutputContractTests
{
    [Fact]
    public async Task Every_rule_in_the_catalogue_has_help_text_markdown_and_a_help_uri()
    {
        var (_, output, _) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", "<plist version=\"1.0\"><dict/></plist>"), "--format", "sarif");
        using var sarif = JsonDocument.Parse(output);
        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        // A scan applies the static rules: its SARIF lists them (the dynamic and server rules appear in their own runs' SARIF).
        rules.Select(r => r.GetProperty("id").GetString()).Should().Equal(RuleCatalog.OfKind(CheckKind.Static).Select(r => r.Id));
        foreach (var rule in rules)
        {
            var id = rule.GetProperty("id").GetString()!;
            var descriptor = RuleCatalog.Get(id);
            rule.GetProperty("helpUri").GetString().Should().StartWith("https://mas.owasp.org/MAS", id);
            var help = rule.GetProperty("help");
            help.GetProperty("text").GetString().Should().Contain(descriptor.Rationale, id).And.Contain(descriptor.MstgId);
            help.GetProperty("markdown").GetString().Should().Contain($"`{id}`").And.Contain(descriptor.Rationale);
        }
        // The rules no MASTG test names (8 when this was written) point at their MASVS control page.
        rules.Where(r => RuleCatalog.Get(r.GetProperty("id").GetString()!).MastgTests.Count == 0)
            .Should().NotBeEmpty().And.OnlyContain(r => r.GetProperty("helpUri").GetString() ==
                $"https://mas.owasp.org/MASVS/controls/{RuleCatalog.Get(r.GetProperty("id").GetString()!).MasvsId}/");
    }

    [Fact]
    public async Task Source_map_rewrites_package_paths_longest_prefix_first()
    {
        var ipa = ReferenceAppCatalog.InsecureBank.BuildIpa();
        var (_, unmapped, _) = await CliRunner.Run("scan", ipa, "--format", "sarif");
        var before = Uris(unmapped);
        before.Should().Contain(u => u.Uri == "Payload/InsecureBank.app/Info.plist" && u.Base == null);

        var (exit, mapped, error) = await CliRunner.Run("scan", ipa, "--format", "sarif",
            "--source-map", "Payload/InsecureBank.app/=ios/App/", "--source-map", "Payload/InsecureBank.app/Frameworks/=ios/Pods/");
        exit.Should().Be(ExitCodes.RuleFailed, error);
        var after = Uris(mapped);
        after.Should().HaveSameCount(before);
        after.Should().Contain(u => u.Uri == "ios/App/Info.plist" && u.Base == "SRCROOT");
        after.Should().NotContain(u => u.Uri.StartsWith("Payload/InsecureBank.app/"), "every path under the app is mapped");
        after.Should().NotContain(u => u.Uri.StartsWith("ios/App/Frameworks/"), "the longer prefix wins for frameworks");
        if (before.Any(u => u.Uri.StartsWith("Payload/InsecureBank.app/Frameworks/")))
            after.Should().Contain(u => u.Uri.StartsWith("ios/Pods/"));
        using var doc = JsonDocument.Parse(mapped);
        doc.RootElement.GetProperty("runs")[0].GetProperty("originalUriBaseIds").TryGetProperty("SRCROOT", out _).Should().BeTrue();

        var (bad, _, badError) = await CliRunner.Run("scan", ipa, "--format", "sarif", "--source-map", "no-equals-sign");
        bad.Should().Be(ExitCodes.Usage);
        badError.Should().Contain("--source-map").And.Contain("no-equals-sign");
    }

    private static List<(string Uri, string? Base)> Uris(string sarif)
    {
        using var doc = JsonDocument.Parse(sarif);
        return doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation"))
            .Select(a => (a.GetProperty("uri").GetString()!, a.TryGetProperty("uriBaseId", out var b) ? b.GetString() : null))
            .ToList();
    }

    // Built once: the library registers a schema under its $id and refuses to register it again.
    private static readonly Lazy<JsonSchema> PublishedSchema =
        new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(MstgProcess.RepoRoot, "docs", "scan-json.schema.json"))));

    private static JsonSchema Schema() => PublishedSchema.Value;

    private static EvaluationResults Validate(JsonElement document) =>
        Schema().Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    private static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [Fact]
    public async Task Json_output_of_a_real_scan_matches_the_published_schema()
    {
        var ipa = ReferenceAppCatalog.InsecureBank.BuildIpa();
        var baseline = CliRunner.TempFile("mstg-baseline.json", """
            {"waivers": [
              {"rule": "BIN-CLEARTEXT-URL", "justification": "documentation links only", "expires": "2999-01-01"},
              {"rule": "ATS-LOCAL-NETWORKING", "justification": "old", "expires": "2001-01-01"},
              {"test": "n4-trusted-ca", "host": "api.example.com", "justification": "a suites-only waiver, expired", "expires": "2001-01-01",
               "approvedBy": "Ada", "approvedOn": "2000-12-01"}
            ]}
            """);
        var (exit, json, error) = await CliRunner.Run("scan", ipa, "--profile", "L2", "--format", "json", "--baseline", baseline);
        exit.Should().Be(ExitCodes.RuleFailed, error);
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("findings").GetArrayLength().Should().BeGreaterThan(5);
        var results = Validate(doc.RootElement);
        results.IsValid.Should().BeTrue(Errors(results));
        // A suites-only waiver (a dynamic test and host, no rule) is read, matches no static finding, and is reported when expired.
        var suitesOnly = doc.RootElement.GetProperty("baseline").GetProperty("expired").EnumerateArray()
            .Where(w => w.TryGetProperty("test", out var t) && t.GetString() == "n4-trusted-ca").ToList();
        suitesOnly.Should().ContainSingle();
        suitesOnly[0].TryGetProperty("rule", out _).Should().BeFalse();
        suitesOnly[0].GetProperty("approvedBy").GetString().Should().Be("Ada");

        (await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", "<plist version=\"1.0\"><dict/></plist>"), "--format", "json")).Out
            .Should().Match(o => Validate(JsonDocument.Parse(o, default).RootElement).IsValid, "a lone plist's report matches too");
    }

    [Theory]
    [InlineData("summary", null)]
    [InlineData("profile", "L3")]
    [InlineData("schemaVersion", "2")]
    public async Task The_schema_refuses_a_report_that_breaks_it(string member, string? value)
    {
        // Proves the check above can fail: the same real report with one member removed or changed.
        var (_, json, _) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", "<plist version=\"1.0\"><dict/></plist>"), "--format", "json");
        var node = JsonNode.Parse(json)!.AsObject();
        if (value is null) node.Remove(member);
        else node[member] = value;
        using var broken = JsonDocument.Parse(node.ToJsonString());
        Validate(broken.RootElement).IsValid.Should().BeFalse();
    }
}
