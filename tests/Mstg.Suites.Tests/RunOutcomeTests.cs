using System.Text.Json;
using System.Xml.Linq;
using Mstg.Fixtures.ReferenceApps;

namespace Mstg.Suites.Tests;

/// <summary>
/// Issue 10: a run is never green without testing anything, an unreadable app is an environment problem (one message,
/// broken, its own outcome), and an app is known by its bundle id. Each case runs the suite executable as a process.
/// </summary>
public sealed class RunOutcomeTests
{
    private const string RunConfiguration = "An_app_is_configured_and_can_be_read";

    private static string? Label(JsonElement result, string name) =>
        result.GetProperty("labels").EnumerateArray().Where(l => l.GetProperty("name").GetString() == name)
            .Select(l => l.GetProperty("value").GetString()).FirstOrDefault();

    [Fact]
    public void No_app_fails_the_run_with_one_line_unless_allowed()
    {
        // A CI job whose variable has a typo: before, every test skipped and the run exited 0.
        var run = SuiteRun.Start(null, "L2");
        run.ExitCode.Should().NotBe(0, run.Output);
        var config = run.Tests.Single(t => t.Method == RunConfiguration);
        config.Result.Should().Be("Fail", run.Output);
        config.Message.Should().Contain("[environment] Nothing to test: no app configured. Set MSTG_APP").And.NotContain("\n");
        run.Tests.Where(t => t.Method != RunConfiguration).Should().NotBeEmpty().And.OnlyContain(t => t.Result == "Skip");
        run.Output.Should().Contain("MSTG run: app none (from default); profile L2 (from environment MSTG_PROFILE)");
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
        run.AllureResultFiles.Single(r => Label(r, "parentSuite") == "Run").GetProperty("status").GetString().Should().Be("broken");

        var allowed = SuiteRun.Start(null, "L2", new Dictionary<string, string> { ["MSTG_ALLOW_NO_APP"] = "1" });
        allowed.ExitCode.Should().Be(0, allowed.Output);
        allowed.Tests.Single(t => t.Method == RunConfiguration).Result.Should().Be("Pass");
        allowed.Summary.GetProperty("outcome").GetString().Should().Be("nothing-tested");
    }

    [Fact]
    public void A_profile_other_than_L1_or_L2_is_one_environment_failure()
    {
        var run = SuiteRun.Start("reference:SecureBank", "L3");
        run.ExitCode.Should().NotBe(0, run.Output);
        run.Tests.Single(t => t.Method == RunConfiguration).Message
            .Should().Contain("[environment] MSTG_PROFILE must be L1 or L2, not 'L3' (from environment MSTG_PROFILE).");
        // The static rows; the server rows (no endpoint configured) skip for their own reason (ServerSuiteTests).
        run.Tests.Where(t => t.IsKind("static")).Should().HaveCount(10).And.OnlyContain(t => t.Result == "Skip");
        run.Tests.Where(t => t.IsKind("dynamic")).Should().HaveCount(4).And.OnlyContain(t => t.Result == "Skip", "no device is configured");
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
    }

    [Fact]
    public void Unreadable_app_is_one_environment_message_broken_not_failed()
    {
        var dir = Directory.CreateTempSubdirectory("mstg-unreadable-").FullName;
        var ipa = Path.Combine(dir, "MyApp-2.3.ipa");
        File.WriteAllText(ipa, "not a zip");
        var run = SuiteRun.Start(ipa, "L2");

        run.ExitCode.Should().NotBe(0, run.Output);
        // One failing test with one line naming the file and the problem; every requirement test is "not tested".
        var config = run.Tests.Single(t => t.Method == RunConfiguration);
        config.Result.Should().Be("Fail");
        config.Message.Should().Contain("[environment] Nothing was tested: the app cannot be read: " + ipa).And.Contain("not a zip archive").And.NotContain("\n");
        var requirements = run.Tests.Where(t => t.IsKind("static")).ToList();
        requirements.Should().HaveCount(10).And.OnlyContain(t => t.Result == "Skip" && t.Message.StartsWith("[environment] Not tested: MyApp-2.3.ipa cannot be read"));
        // Before: 144 lines of repeated stack traces. Now no stack trace at all.
        var xml = XDocument.Load(Path.Combine(Path.GetDirectoryName(run.AllureResults)!, "results.xml"));
        xml.Descendants("stack-trace").Where(s => !string.IsNullOrWhiteSpace(s.Value)).Should().BeEmpty();
        run.Output.Should().NotContain("   at ");

        // Allure: broken (Environment problem), not failed; TRX: one Failed, the rest not executed; the summary says it.
        var results = run.AllureResultFiles;
        results.Should().NotContain(r => r.GetProperty("status").GetString() == "failed");
        results.Single(r => Label(r, "parentSuite") == "Run").GetProperty("status").GetString().Should().Be("broken");
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        XDocument.Load(run.TrxFile).Descendants(ns + "UnitTestResult").Select(r => (string?)r.Attribute("outcome"))
            .Should().Contain("Failed").And.HaveCount(run.Tests.Count).And.OnlyContain(o => o == "Failed" || o == "NotExecuted");
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
        run.Output.Should().Contain("MSTG outcome: environment-error");
    }

    [Fact]
    public void The_same_app_at_two_paths_under_two_file_names_keeps_its_test_names_and_history_ids()
    {
        // A CI workspace path and a versioned file name change from build to build; the bundle id does not.
        var ipa = ReferenceAppCatalog.SecureBank.BuildIpa();
        var first = Path.Combine(Directory.CreateTempSubdirectory("ws-1-").FullName, "SecureBank-1.0.ipa");
        var second = Path.Combine(Directory.CreateTempSubdirectory("workspace-other-").FullName, "SecureBank-1.1-build42.ipa");
        File.Copy(ipa, first);
        File.Copy(ipa, second);
        var a = SuiteRun.Start(first, "L2");
        var b = SuiteRun.Start(second, "L2");

        // The app's rows and the run's own test (server rows name endpoints, not apps: ServerSuiteTests).
        static List<string> Keys(SuiteRun run) => run.AllureResultFiles.Where(r => Label(r, "Kind") != "server")
            .Select(r => $"{r.GetProperty("name").GetString()} {r.GetProperty("historyId").GetString()}").Order(StringComparer.Ordinal).ToList();
        Keys(a).Should().HaveCount(11 + 4).And.Equal(Keys(b));
        a.Tests.Select(t => t.App).Should().OnlyContain(n => !n.Contains("ws-1-") && !n.Contains(".ipa"));
        a.Tests.Where(t => t.IsKind("static")).Should().OnlyContain(t => t.App.Contains("com.example.securebank"));
        // The file is still shown, as a parameter left out of the history key.
        a.AllureResultFiles.Where(r => Label(r, "parentSuite") == "Static analysis").Should().OnlyContain(r => r.GetProperty("parameters").EnumerateArray()
            .Any(p => p.GetProperty("name").GetString() == "file" && p.GetProperty("value").GetString() == "\"SecureBank-1.0.ipa\"" && p.GetProperty("excluded").GetBoolean()));
    }
}
