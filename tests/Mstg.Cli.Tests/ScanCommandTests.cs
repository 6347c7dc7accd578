using System.Text.Json;
using Mstg.Fixtures.ReferenceApps;

namespace Mstg.Cli.Tests;

public class ScanCommandTests
{
    private const string CleanPlist = """
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.example.clean</string></dict></plist>
        """;

    private const string ArbitraryLoadsPlist = """
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict>
          <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>
        </dict></plist>
        """;

    [Fact]
    public async Task Clean_plist_exits_0()
    {
        var (exit, output, _) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", CleanPlist));
        exit.Should().Be(0, output);
        output.Should().Contain("0 failed");
    }

    [Fact]
    public async Task Failing_rule_exits_1_and_names_the_rule()
    {
        var (exit, output, _) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist));
        exit.Should().Be(1);
        output.Should().Contain("ATS-ARBITRARY-LOADS").And.Contain("NSAllowsArbitraryLoads");
    }

    [Theory]
    [InlineData("scan")]
    [InlineData("scan", "--format", "yaml", "Info.plist")]
    [InlineData("scan", "--profile", "L3", "Info.plist")]
    [InlineData("scan", "--bogus", "Info.plist")]
    [InlineData("scan", "/no/such/file.ipa")]
    [InlineData("frobnicate")]
    public async Task Usage_errors_exit_2_with_a_message(params string[] args)
    {
        var (exit, _, error) = await CliRunner.Run(args);
        exit.Should().Be(2);
        error.Should().StartWith("mstg: ");
    }

    [Fact]
    public async Task Malformed_plist_exits_2_naming_file_and_line()
    {
        var path = CliRunner.TempFile("Info.plist", "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict><key>A</key><bogus/></dict></plist>");
        var (exit, _, error) = await CliRunner.Run("scan", path);
        exit.Should().Be(2);
        error.Should().Contain(path).And.Contain("line 3");
    }

    [Fact]
    public async Task Garbage_ipa_exits_2_naming_the_file()
    {
        var path = CliRunner.TempFile("App.ipa", "PK\u0003\u0004 this is not really a zip");
        var (exit, _, error) = await CliRunner.Run("scan", path);
        exit.Should().Be(2);
        error.Should().Contain(path);
    }

    [Fact]
    public async Task Json_output_follows_the_documented_schema()
    {
        var ipa = ReferenceAppCatalog.InsecureBank.BuildIpa();
        var output = Path.Combine(Directory.CreateTempSubdirectory().FullName, "scan.json");
        var (exit, _, _) = await CliRunner.Run("scan", ipa, "--profile", "L2", "--format", "json", "--output", output);
        exit.Should().Be(1);

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        root.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        root.GetProperty("profile").GetString().Should().Be("L2");
        root.GetProperty("summary").GetProperty("verdict").GetString().Should().Be("fail");
        // InsecureBank ships two frameworks: AFNetworking 2.5.1 and Starscream with an unresolved $(MARKETING_VERSION).
        root.GetProperty("bundles").EnumerateArray().Select(b => b.GetProperty("kind").GetString())
            .Should().BeEquivalentTo(["App", "Framework", "Framework", "AppExtension"]);
        root.GetProperty("advisoryData").GetString().Should().Be("advisory data as of 2026-12-01");
        var finding = root.GetProperty("findings").EnumerateArray()
            .First(f => f.GetProperty("ruleId").GetString() == "ATS-DOMAIN-WEAK-TLS");
        finding.GetProperty("verdict").GetString().Should().Be("fail");
        finding.GetProperty("mstg").GetString().Should().Be("MSTG-NETWORK-2");
        finding.GetProperty("domain").GetString().Should().Be("legacy.insecurebank.example");
        finding.GetProperty("location").GetString().Should().StartWith("Info.plist:NSAppTransportSecurity/NSExceptionDomains/legacy.insecurebank.example");
        finding.GetProperty("requirements").EnumerateArray().Select(r => r.GetString()).Should().Equal("MSTG-NETWORK-2");

        // ATS switched off counts under MSTG-NETWORK-1 (primary) and MSTG-NETWORK-2; report-only TrustKit fails at L2.
        var atsOff = root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("ruleId").GetString() == "ATS-ARBITRARY-LOADS");
        atsOff.GetProperty("mstg").GetString().Should().Be("MSTG-NETWORK-1");
        atsOff.GetProperty("requirements").EnumerateArray().Select(r => r.GetString()).Should().Equal("MSTG-NETWORK-1", "MSTG-NETWORK-2");
        root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "PIN-TRUSTKIT-NOT-ENFORCED")
            .GetProperty("verdict").GetString().Should().Be("fail");
    }

    [Fact]
    public async Task Sarif_output_is_valid_2_1_0_with_rules_and_locations()
    {
        var ipa = ReferenceAppCatalog.InsecureBank.BuildIpa();
        var (exit, output, _) = await CliRunner.Run("scan", ipa, "--format", "sarif");
        exit.Should().Be(1);

        using var sarif = JsonDocument.Parse(output);
        sarif.RootElement.GetProperty("version").GetString().Should().Be("2.1.0");
        var run = sarif.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetString()).Should().BeEquivalentTo(RuleCatalog.OfKind(CheckKind.Static).Select(r => r.Id), "a scan applies the static rules");
        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.Should().NotBeEmpty();
        foreach (var r in results)
        {
            var ruleIndex = r.GetProperty("ruleIndex").GetInt32();
            rules[ruleIndex].GetProperty("id").GetString().Should().Be(r.GetProperty("ruleId").GetString());
            var kind = r.GetProperty("kind").GetString();
            var level = r.GetProperty("level").GetString();
            // SARIF 2.1.0 §3.27.9: a level other than "none" requires kind "fail".
            if (level != "none") kind.Should().Be("fail");
            var uri = r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
            uri.Should().StartWith("Payload/InsecureBank.app");
            r.GetProperty("partialFingerprints").GetProperty("mstgFinding/v1").GetString().Should().HaveLength(32);
        }
        results.Should().Contain(r => r.GetProperty("ruleId").GetString() == "BIN-TRUST-BYPASS" && r.GetProperty("level").GetString() == "error");
        run.GetProperty("invocations")[0].GetProperty("properties").GetProperty("advisoryData").GetString().Should().Be("advisory data as of 2026-12-01");
        // The library whose version cannot be read is a warning that names it, never a pass.
        results.Should().Contain(r => r.GetProperty("ruleId").GetString() == "LIB-VULNERABLE" && r.GetProperty("level").GetString() == "warning"
            && r.GetProperty("message").GetProperty("text").GetString()!.Contains("Starscream $(MARKETING_VERSION)"));
    }

    [Fact]
    public async Task Sarif_for_a_source_plist_points_at_the_file_and_line_of_the_key()
    {
        var dir = Directory.CreateTempSubdirectory("mstg-sarif-").FullName;
        var plist = Path.Combine(dir, "ios", "App", "Info.plist");
        Directory.CreateDirectory(Path.GetDirectoryName(plist)!);
        File.WriteAllText(plist, ArbitraryLoadsPlist);
        var (exit, output, _) = await CliRunner.Run("scan", plist, "--format", "sarif");
        exit.Should().Be(1);

        using var sarif = JsonDocument.Parse(output);
        var result = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("ruleId").GetString() == "ATS-ARBITRARY-LOADS");
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        location.GetProperty("artifactLocation").GetProperty("uri").GetString().Should().EndWith("ios/App/Info.plist").And.NotContain("Info.plist/Info.plist");
        var line = location.GetProperty("region").GetProperty("startLine").GetInt32();
        File.ReadAllLines(plist)[line - 1].Should().Contain("<key>NSAllowsArbitraryLoads</key>");
    }

    [Fact]
    public async Task Json_gives_the_line_of_text_plist_keys()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory().FullName, "scan.json");
        var plist = CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist);
        await CliRunner.Run("scan", plist, "--format", "json", "--output", output);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "ATS-ARBITRARY-LOADS");
        File.ReadAllLines(plist)[finding.GetProperty("line").GetInt32() - 1].Should().Contain("NSAllowsArbitraryLoads");
    }

    [Fact]
    public async Task Secure_reference_app_exits_0_at_L2()
    {
        var (exit, output, _) = await CliRunner.Run("scan", ReferenceAppCatalog.SecureBank.BuildIpa(), "--profile", "L2", "--first-party", "securebank.example");
        exit.Should().Be(0, output);
        output.Should().NotContain("PIN-DOMAIN-NOT-PINNED");
        // Text output hides passes, so the data date is a header line: a clean NETWORK-6 says what it was read against.
        output.Should().Contain("Library checks: advisory data as of 2026-12-01");
    }

    [Fact]
    public async Task First_party_option_checks_pin_coverage()
    {
        var (exit, output, _) = await CliRunner.Run("scan", ReferenceAppCatalog.InsecureBank.BuildIpa(), "--profile", "L2", "--first-party", "insecurebank.example");
        exit.Should().Be(1);
        output.Should().Contain("PIN-DOMAIN-NOT-PINNED").And.Contain("api.insecurebank.example");
    }

    [Fact]
    public async Task App_folder_is_scanned_like_the_ipa()
    {
        var folder = ReferenceAppCatalog.InsecureBank.BuildAppFolder();
        var (exit, output, _) = await CliRunner.Run("scan", folder);
        exit.Should().Be(1);
        output.Should().Contain("BIN-TRUST-BYPASS").And.Contain("ATS-DOMAIN-WEAK-TLS");
    }
}
