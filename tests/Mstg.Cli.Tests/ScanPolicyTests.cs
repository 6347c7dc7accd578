using System.Text.Json;

namespace Mstg.Cli.Tests;

/// <summary><c>--fail-on</c> and <c>--baseline</c>: which findings decide the exit code, and how accepted ones are reported.</summary>
public class ScanPolicyTests
{
    // Only a warning: NSAllowsLocalNetworking is ATS-LOCAL-NETWORKING (warn); nothing fails.
    private const string LocalNetworkingPlist = """
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict>
          <key>NSAppTransportSecurity</key><dict><key>NSAllowsLocalNetworking</key><true/></dict>
        </dict></plist>
        """;

    private const string ArbitraryLoadsPlist = """
        <?xml version="1.0" encoding="UTF-8"?>
        <plist version="1.0"><dict>
          <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>
        </dict></plist>
        """;

    [Fact]
    public async Task Fail_on_warn_makes_a_warning_exit_1()
    {
        var plist = CliRunner.TempFile("Info.plist", LocalNetworkingPlist);
        var (byDefault, output, _) = await CliRunner.Run("scan", plist);
        output.Should().Contain("WARN ATS-LOCAL-NETWORKING").And.Contain("0 failed");
        byDefault.Should().Be(ExitCodes.Ok, "by default only failures exit 1");
        (await CliRunner.Run("scan", plist, "--fail-on", "fail")).Exit.Should().Be(ExitCodes.Ok);
        (await CliRunner.Run("scan", plist, "--fail-on", "warn")).Exit.Should().Be(ExitCodes.RuleFailed);
        (await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", "<plist version=\"1.0\"><dict/></plist>"), "--fail-on", "warn")).Exit
            .Should().Be(ExitCodes.Ok, "no warning, nothing to fail on");
        var (bad, _, error) = await CliRunner.Run("scan", plist, "--fail-on", "info");
        bad.Should().Be(ExitCodes.Usage);
        error.Should().Contain("--fail-on must be fail or warn");
    }

    private static string Baseline(string expires, string rule = "ATS-ARBITRARY-LOADS", string extra = "") =>
        CliRunner.TempFile("mstg-baseline.json", $$"""
            {
              "waivers": [
                { "rule": "{{rule}}", "location": "Info.plist:NSAppTransportSecurity/NSAllowsArbitraryLoads"{{extra}},
                  "justification": "Kiosk build talks only to the LAN media server; tracked in SEC-142",
                  "expires": "{{expires}}" }
              ]
            }
            """);

    [Fact]
    public async Task A_live_waiver_suppresses_the_finding_in_every_format_and_the_exit_code()
    {
        var plist = CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist);
        (await CliRunner.Run("scan", plist)).Exit.Should().Be(ExitCodes.RuleFailed, "without the waiver the finding fails the scan");
        var baseline = Baseline("2999-12-31");

        var (exit, text, _) = await CliRunner.Run("scan", plist, "--baseline", baseline);
        exit.Should().Be(ExitCodes.Ok, text);
        text.Should().Contain("FAIL ATS-ARBITRARY-LOADS", "a suppressed finding is still shown")
            .And.Contain("SUPPRESSED until 2999-12-31: Kiosk build").And.Contain("1 suppressed by waivers").And.StartWith("mstg scan");

        var (_, json, _) = await CliRunner.Run("scan", plist, "--baseline", baseline, "--format", "json");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("summary").GetProperty("verdict").GetString().Should().Be("pass");
        doc.RootElement.GetProperty("summary").GetProperty("suppressed").GetInt32().Should().Be(1);
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "ATS-ARBITRARY-LOADS");
        finding.GetProperty("suppression").GetProperty("justification").GetString().Should().StartWith("Kiosk build");
        finding.GetProperty("suppression").GetProperty("expires").GetString().Should().Be("2999-12-31");

        var (_, sarif, _) = await CliRunner.Run("scan", plist, "--baseline", baseline, "--format", "sarif");
        using var log = JsonDocument.Parse(sarif);
        var result = log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "ATS-ARBITRARY-LOADS");
        var suppression = result.GetProperty("suppressions")[0];
        suppression.GetProperty("kind").GetString().Should().Be("external");
        suppression.GetProperty("justification").GetString().Should().StartWith("Kiosk build");
    }

    [Fact]
    public async Task A_waiver_that_does_not_match_suppresses_nothing()
    {
        var plist = CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist);
        var (exit, text, _) = await CliRunner.Run("scan", plist, "--baseline", Baseline("2999-12-31", extra: ", \"bundle\": \"Payload/Other.app\""));
        exit.Should().Be(ExitCodes.RuleFailed);
        text.Should().NotContain("SUPPRESSED");
    }

    [Fact]
    public async Task An_expired_waiver_suppresses_nothing_and_is_reported()
    {
        var plist = CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist);
        var output = Path.Combine(Path.GetDirectoryName(plist)!, "scan.json");
        var (exit, _, error) = await CliRunner.Run("scan", plist, "--baseline", Baseline("2020-01-31"), "--format", "json", "--output", output);
        exit.Should().Be(ExitCodes.RuleFailed, error);
        error.Should().Contain("expired waiver, suppresses nothing: ATS-ARBITRARY-LOADS").And.Contain("expires 2020-01-31").And.Contain("waivers[0]");
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        doc.RootElement.GetProperty("summary").GetProperty("verdict").GetString().Should().Be("fail");
        doc.RootElement.GetProperty("baseline").GetProperty("expired")[0].GetProperty("rule").GetString().Should().Be("ATS-ARBITRARY-LOADS");
        doc.RootElement.GetProperty("findings").EnumerateArray().Count(f => f.TryGetProperty("suppression", out _)).Should().Be(0);
    }

    [Theory]
    [InlineData("""{"waivers": [{"rule": "ATS-ARBITRARY-LOADS", "expires": "2999-01-01"}]}""", "waivers[0]", "\"justification\" is required")]
    [InlineData("""{"waivers": [{"rule": "ATS-ARBITRARY-LOADS", "justification": "x"}]}""", "waivers[0]", "\"expires\" is required")]
    [InlineData("""{"waivers": [{"rule": "ATS-ARBITRARY-LOADS", "justification": "x", "expires": "31/12/2999"}]}""", "waivers[0].expires", "not a date")]
    [InlineData("""{"waivers": [{"rule": "ATS-ARBITRARY-LOADS", "justification": "x", "expiry": "2999-01-01"}]}""", "waivers[0]", "unknown field \"expiry\"")]
    [InlineData("""{"waivers": [{"rule": "ATS-NO-SUCH-RULE", "justification": "x", "expires": "2999-01-01"}]}""", "waivers[0].rule", "not a rule id")]
    [InlineData("""{"waivers": [{"host": "api.example.com", "justification": "x", "expires": "2999-01-01"}]}""", "waivers[0]", "\"rule\" is required")]
    [InlineData("""{"waivers": [""", "line", "not valid JSON")]
    public async Task A_malformed_waiver_file_exits_2_naming_the_place(string content, string place, string problem)
    {
        var baseline = CliRunner.TempFile("mstg-baseline.json", content);
        var (exit, output, error) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist), "--baseline", baseline);
        exit.Should().Be(ExitCodes.Usage);
        output.Should().BeEmpty("the scan does not start with a broken waiver file");
        error.Should().Contain(baseline).And.Contain(place).And.Contain(problem);
    }

    [Fact]
    public async Task A_missing_waiver_file_exits_2()
    {
        var (exit, _, error) = await CliRunner.Run("scan", CliRunner.TempFile("Info.plist", ArbitraryLoadsPlist), "--baseline", "/no/such/mstg-baseline.json");
        exit.Should().Be(ExitCodes.Usage);
        error.Should().Contain("/no/such/mstg-baseline.json");
    }
}
