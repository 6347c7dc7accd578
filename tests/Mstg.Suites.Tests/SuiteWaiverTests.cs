using System.Text.Json;

namespace Mstg.Suites.Tests;

/// <summary>
/// Waivers in the suites (<c>MSTG_WAIVERS</c>, docs/waivers.md), through the suite as a process against the reference
/// apps: a failing test whose every failing finding a live waiver covers is skipped with the justification (Allure:
/// skipped, tag <c>waived</c>); a test with one finding waived and one not still fails; an expired waiver covers nothing
/// and the failure says so; a waiver that matched nothing is listed at the end; a malformed file is an environment
/// problem naming the file and the entry. The same checks fail without waivers in <see cref="KnownAnswerTests"/>
/// (InsecureBankAnswers), and the control rows of each run below fail here too.
/// </summary>
public sealed class SuiteWaiverTests(SuiteWaiverTests.StaticRuns runs) : IClassFixture<SuiteWaiverTests.StaticRuns>
{
    private const string InsecureBank = KnownAnswerTests.InsecureBankId;

    /// <summary>Two static runs of InsecureBank: one with a waiver file covering some of its findings, one with a malformed file.</summary>
    public sealed class StaticRuns
    {
        public string WaiverFile { get; } = Write("""
            {
              "waivers": [
                { "rule": "BIN-WEAK-TLS-MINIMUM", "justification": "Legacy kiosk SDK, removed in 3.0 (SEC-101)", "expires": "2099-12-31",
                  "approvedBy": "Ada Reviewer", "approvedOn": "2026-11-30" },
                { "rule": "BIN-TRUST-BYPASS", "bundle": "Payload/InsecureBank.app", "justification": "Handler only logs, reviewed (SEC-102)", "expires": "2099-12-31" },
                { "rule": "PIN-NONE", "justification": "Pinning arrives with the new backend (SEC-103)", "expires": "2099-12-31" },
                { "rule": "PIN-TRUSTKIT-NOT-ENFORCED", "justification": "Report-only rollout (SEC-104)", "expires": "2020-01-31" },
                { "rule": "ATS-DOMAIN-INSECURE-HTTP", "domain": "nowhere.example", "justification": "Matches no finding of InsecureBank", "expires": "2099-12-31" }
              ]
            }
            """);

        public string MalformedFile { get; } = Write("""
            {
              "waivers": [
                { "rule": "BIN-WEAK-TLS-MINIMUM", "justification": "fine", "expires": "2099-12-31" },
                { "rule": "PIN-NONE", "justification": "fine", "expires": "31/12/2099" }
              ]
            }
            """);

        public SuiteRun Waived { get; }
        public SuiteRun Malformed { get; }

        public StaticRuns()
        {
            Waived = SuiteRun.Start("reference:InsecureBank", "L2", new Dictionary<string, string> { ["MSTG_WAIVERS"] = WaiverFile }, ["Kind=static"]);
            Malformed = SuiteRun.Start("reference:InsecureBank", "L2", new Dictionary<string, string> { ["MSTG_WAIVERS"] = MalformedFile });
        }
    }

    internal static string Write(string json)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mstg-waivers-").FullName, "waivers.json");
        File.WriteAllText(file, json);
        return file;
    }

    private static IEnumerable<string> Labels(JsonElement r, string name) => r.GetProperty("labels").EnumerateArray()
        .Where(l => l.GetProperty("name").GetString() == name).Select(l => l.GetProperty("value").GetString()!);

    private static JsonElement AllureResult(SuiteRun run, string requirement, string family) =>
        run.AllureResultFiles.Single(r => Labels(r, "feature").Contains(requirement) && Labels(r, "Family").Contains(family) && Labels(r, "Kind").Contains("static"));

    [Fact]
    public void A_failing_static_test_whose_findings_are_all_waived_is_skipped_with_the_justification()
    {
        var run = runs.Waived;
        var waived = run.Single(InsecureBank, "MSTG-NETWORK-2/Binary");
        waived.Result.Should().Be("Skip", run.Output);
        waived.Message.Should().StartWith("[waived]").And.Contain("BIN-WEAK-TLS-MINIMUM")
            .And.Contain("Legacy kiosk SDK, removed in 3.0 (SEC-101)").And.Contain("waived until 2099-12-31")
            .And.Contain("accepted by Ada Reviewer on 2026-11-30").And.Contain($"{runs.WaiverFile}: waivers[0]");

        var allure = AllureResult(run, "MSTG-NETWORK-2", "Binary");
        allure.GetProperty("status").GetString().Should().Be("skipped");
        allure.GetProperty("statusDetails").GetProperty("message").GetString().Should().Contain("Legacy kiosk SDK, removed in 3.0 (SEC-101)");
        Labels(allure, "tag").Should().Contain("waived");
        run.Output.Should().Contain("MSTG waived: 1 failing test(s) skipped").And.Contain("WAIVED MSTG-NETWORK-2 Code keeps the TLS minimum at 1.2");

        // The other way: a failing test no waiver names still fails, untagged.
        var control = run.Single(InsecureBank, "MSTG-NETWORK-6/Library");
        control.Result.Should().Be("Fail");
        control.Message.Should().NotContain("waive");
        Labels(AllureResult(run, "MSTG-NETWORK-6", "Library"), "tag").Should().NotContain("waived");
    }

    [Fact]
    public void A_test_with_one_of_two_findings_waived_still_fails_and_says_which_one_is_waived()
    {
        // BIN-TRUST-BYPASS is found in the app and in its Share extension; the waiver names the app's bundle only.
        var partial = runs.Waived.Single(InsecureBank, "MSTG-NETWORK-3/Binary");
        partial.Result.Should().Be("Fail", runs.Waived.Output);
        partial.Message.Should().Contain("1 of 2 failing finding(s) are waived; the other 1 are not")
            .And.Contain("waived: BIN-TRUST-BYPASS [Payload/InsecureBank.app]").And.Contain("Handler only logs, reviewed (SEC-102)")
            .And.Contain("Share.appex");
        AllureResult(runs.Waived, "MSTG-NETWORK-3", "Binary").GetProperty("status").GetString().Should().Be("failed");
    }

    [Fact]
    public void An_expired_waiver_covers_nothing_and_the_failure_names_its_expiry_and_place()
    {
        // PIN-NONE's live waiver covers its finding; PIN-TRUSTKIT-NOT-ENFORCED's expired one does not: the test fails for that one.
        var pinning = runs.Waived.Single(InsecureBank, "MSTG-NETWORK-4/Pinning");
        pinning.Result.Should().Be("Fail", runs.Waived.Output);
        pinning.Message.Should().Contain("The waiver for PIN-TRUSTKIT-NOT-ENFORCED expired on 2020-01-31 and no longer covers it")
            .And.Contain($"{runs.WaiverFile}: waivers[3]").And.Contain("waived: PIN-NONE");
        runs.Waived.Output.Should().Contain("MSTG expired waivers: 1").And.Contain("EXPIRED PIN-TRUSTKIT-NOT-ENFORCED");
    }

    [Fact]
    public void A_waiver_that_matches_nothing_is_listed_at_the_end_without_failing_the_run_and_the_start_names_the_file()
    {
        var run = runs.Waived;
        run.Output.Should().Contain($"waivers {runs.WaiverFile} (5 entries, 1 expired) (from environment MSTG_WAIVERS)");
        run.Output.Should().Contain("MSTG stale waivers: 1").And.Contain("STALE (static) ATS-DOMAIN-INSECURE-HTTP [nowhere.example]")
            .And.Contain($"{runs.WaiverFile}: waivers[4]");
        // Waivers that covered a finding are not stale.
        run.Output.Should().NotContain("STALE (static) BIN-WEAK-TLS-MINIMUM").And.NotContain("STALE (static) PIN-NONE");
        run.Summary.GetProperty("outcome").GetString().Should().Be("failed", "the partly waived and the expired tests fail; a stale waiver fails nothing");
        File.ReadAllText(Path.Combine(run.AllureResults, "environment.properties")).Should().Contain("waivers=").And.Contain("(5 entries, 1 expired)");
        var summary = run.Summary.GetProperty("waivers");
        summary.GetProperty("stale").EnumerateArray().Select(e => e.GetString()).Should().Equal($"{runs.WaiverFile}: waivers[4]");
        summary.GetProperty("expired").EnumerateArray().Select(e => e.GetString()).Should().Equal($"{runs.WaiverFile}: waivers[3]");
        summary.GetProperty("waived").EnumerateArray().Select(e => e.GetString()).Should().ContainSingle().Which.Should().StartWith("MSTG-NETWORK-2 Code keeps the TLS minimum");
    }

    [Fact]
    public void A_malformed_waiver_file_is_an_environment_problem_naming_the_file_and_the_entry()
    {
        var run = runs.Malformed;
        var place = $"{runs.MalformedFile}: waivers[1].expires: '31/12/2099' is not a date (yyyy-MM-dd)";
        run.Output.Should().Contain("MSTG configuration problem: the waiver file of MSTG_WAIVERS (from environment MSTG_WAIVERS) is malformed").And.Contain(place);
        var config = run.Tests.Single(t => t.Method.Contains("An_app_is_configured", StringComparison.Ordinal));
        config.Result.Should().Be("Fail");
        config.Message.Should().Contain(place);
        // A test the waivers would have judged is not failed (nor waived): broken, "Not judged"; a passing test stays passed.
        var pinning = run.Single(InsecureBank, "MSTG-NETWORK-2/Binary");
        pinning.Result.Should().Be("Fail");
        pinning.Message.Should().Contain("[environment] Not judged:").And.Contain(place);
        AllureResult(run, "MSTG-NETWORK-2", "Binary").GetProperty("status").GetString().Should().Be("broken");
        run.Tests.Should().Contain(t => t.Check == "MSTG-NETWORK-1/Binary" && t.Result == "Pass");
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
    }
}
