using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mstg.Suites.Tests;

/// <summary>
/// Issue 13's summary table is requirement × target: <c>MSTG_DYNAMIC_TARGET</c> takes a ';'-separated list of reference
/// targets, each gets its own rows (named by the target), its own column and its own verdicts; one target keeps the row
/// names, verdict keys and Allure history it had; a bad name in the list is an environment problem. Each case runs the
/// suite executable as a process against the real reference backend and the real .NET reference client, through the
/// suite's real proxy (MSTG-NETWORK-4 only: the trusted-CA condition is where pinning shows, and it is quick).
/// </summary>
public sealed class MultiTargetRunTests
{
    private const string Network4 = "Requirement=MSTG-NETWORK-4";

    private static Dictionary<string, Dictionary<string, string>> Table(SuiteRun run) =>
        run.Summary.GetProperty("table").EnumerateObject().ToDictionary(r => r.Name,
            r => r.Value.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetString()!));

    private static List<(string Name, string Kind)> Columns(SuiteRun run) =>
        run.Summary.GetProperty("tableColumns").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("kind").GetString()!)).ToList();

    private static string Target(SuiteTestResult t) => t.Traits.TryGetValue("Target", out var v) ? v[0] : "";

    private static (SuiteRun Run, JsonElement Verdicts) Start(string targets, string? apps = null)
    {
        var verdicts = Path.Combine(Directory.CreateTempSubdirectory("mstg-multitarget-").FullName, "dynamic-verdicts.json");
        var environment = new Dictionary<string, string> { ["MSTG_DYNAMIC_TARGET"] = targets, ["MSTG_DYNAMIC_VERDICTS"] = verdicts };
        if (apps is null) environment["MSTG_ALLOW_NO_APP"] = "1";
        var run = SuiteRun.Start(apps, "L2", environment, traits: [Network4]);
        var document = File.Exists(verdicts) ? JsonDocument.Parse(File.ReadAllText(verdicts)).RootElement.Clone() : default;
        return (run, document);
    }

    [Fact]
    public void Two_targets_get_their_own_rows_and_columns_the_pinned_one_passes_NETWORK_4_and_the_default_one_fails_it()
    {
        var (run, verdicts) = Start("reference:client-pinned;reference:client-default", apps: "reference:SecureBank");

        // Rows: target × probe × host, each named by its target, none colliding.
        var dynamic = run.Tests.Where(t => t.IsKind("dynamic")).ToList();
        dynamic.Should().HaveCount(4, "two targets × the trusted-ca probe × two first-party hosts");
        dynamic.Select(t => t.App).Should().OnlyHaveUniqueItems();
        dynamic.Should().OnlyContain(t => t.App.Contains($"target: \\\"{Target(t)}\\\"", StringComparison.Ordinal), "the display name names the target");
        var pinned = dynamic.Where(t => Target(t) == "client-pinned").ToList();
        var unpinned = dynamic.Where(t => Target(t) == "client-default").ToList();
        pinned.Should().HaveCount(2).And.OnlyContain(t => t.Result == "Pass", run.Output);
        unpinned.Should().HaveCount(2).And.OnlyContain(t => t.Result == "Fail", run.Output);
        unpinned.Should().OnlyContain(t => t.Message.Contains("[pinning-missing] MSTG-NETWORK-4 on client-default: ", StringComparison.Ordinal));
        pinned.Should().OnlyContain(t => t.Output.Contains("Target: client-pinned", StringComparison.Ordinal), "the evidence names the target");

        // The table: the static app, then the targets in the order given, then the server rows.
        Columns(run).Should().Equal(("com.example.securebank", "static"), ("client-pinned", "dynamic"), ("client-default", "dynamic"), ("server", "server"));
        var table = Table(run);
        table["MSTG-NETWORK-4"]["client-pinned"].Should().Be("pass 2/2");
        table["MSTG-NETWORK-4"]["client-default"].Should().Be("fail 2/2");
        table["MSTG-NETWORK-4"]["com.example.securebank"].Should().StartWith("pass ", "SecureBank pins");
        table["MSTG-NETWORK-3"]["client-pinned"].Should().Be("-", "only MSTG-NETWORK-4 ran");
        run.Output.Should().Contain("MSTG summary table (requirement x target");
        run.Output.Should().MatchRegex(@"requirement\s+com\.example\.securebank\s+client-pinned\s+client-default\s+server");
        run.Output.Should().MatchRegex(@"MSTG-NETWORK-4\s+pass \d+/\d+\s+pass 2/2\s+fail 2/2\s+skip 1/1");
        run.Summary.GetProperty("tests").EnumerateArray().Should().Contain(t =>
            t.GetProperty("target").GetString() == "client-default" && t.GetProperty("outcome").GetString() == "failed");

        // The verdicts file: each case names its target (an additional field); each target ran every condition once.
        var cases = verdicts.GetProperty("cases").EnumerateArray().ToList();
        cases.Select(c => $"{c.GetProperty("target").GetString()}/{c.GetProperty("probe").GetString()}@{c.GetProperty("host").GetString()}")
            .Should().BeEquivalentTo("client-pinned/n4-trusted-ca@api.mstg-ref.test", "client-pinned/n4-trusted-ca@auth.mstg-ref.test",
                "client-default/n4-trusted-ca@api.mstg-ref.test", "client-default/n4-trusted-ca@auth.mstg-ref.test");
        cases.Where(c => c.GetProperty("target").GetString() == "client-pinned").Should().OnlyContain(c => c.GetProperty("outcome").GetString() == "pass");
        var conditions = verdicts.GetProperty("conditions").EnumerateArray().Select(c => (c.GetProperty("target").GetString(), c.GetProperty("condition").GetString())).ToList();
        conditions.Should().OnlyHaveUniqueItems().And.Contain(("client-pinned", "trusted-ca")).And.Contain(("client-default", "trusted-ca"));

        // Allure: the target is a history parameter, so the rows of two targets never share a history.
        var results = run.AllureResultFiles.Where(r => r.GetProperty("labels").EnumerateArray().Any(l => l.GetProperty("name").GetString() == "Kind" && l.GetProperty("value").GetString() == "dynamic")).ToList();
        results.Should().HaveCount(4);
        results.Select(r => r.GetProperty("historyId").GetString()).Should().OnlyHaveUniqueItems();
        results.Should().OnlyContain(r => r.GetProperty("parameters").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "target" && !p.GetProperty("excluded").GetBoolean()));
    }

    [Fact]
    public void One_target_keeps_the_row_names_verdict_keys_and_Allure_history_of_before()
    {
        var (run, verdicts) = Start("reference:client-default");

        var dynamic = run.Tests.Where(t => t.IsKind("dynamic")).ToList();
        dynamic.Should().HaveCount(2).And.OnlyContain(t => t.Result == "Fail", run.Output);
        // The display name is the one a single-target run always had: probe and host, no target.
        dynamic.Select(t => t.App.Replace("\\", "", StringComparison.Ordinal)).Should().BeEquivalentTo(
            "MSTG-NETWORK-4 dynamic: pinning refuses a trusted interception CA(probe: \"n4-trusted-ca\", host: \"api.mstg-ref.test\")",
            "MSTG-NETWORK-4 dynamic: pinning refuses a trusted interception CA(probe: \"n4-trusted-ca\", host: \"auth.mstg-ref.test\")");
        dynamic.Should().OnlyContain(t => t.Message.Contains("[pinning-missing] MSTG-NETWORK-4: ", StringComparison.Ordinal));

        // The verdicts file keeps its shape: no target field in cases or conditions (known-answer keys stay probe@host).
        verdicts.GetProperty("cases").EnumerateArray().Should().HaveCount(2).And.OnlyContain(c => c.EnumerateObject().All(p => p.Name != "target"));
        verdicts.GetProperty("conditions").EnumerateArray().Should().OnlyContain(c => c.EnumerateObject().All(p => p.Name != "target"));

        // Allure: the target parameter is excluded from the history, so the history id is the one of before (probe, host, condition, profile).
        var results = run.AllureResultFiles.Where(r => r.GetProperty("labels").EnumerateArray().Any(l => l.GetProperty("name").GetString() == "Kind" && l.GetProperty("value").GetString() == "dynamic")).ToList();
        results.Should().HaveCount(2).And.OnlyContain(r => r.GetProperty("parameters").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "target" && p.GetProperty("excluded").GetBoolean()));

        Columns(run).Should().Equal(("client-default", "dynamic"), ("server", "server"));
        Table(run)["MSTG-NETWORK-4"]["client-default"].Should().Be("fail 2/2");
    }

    [Theory]
    [InlineData("reference:client-pinned;reference:client-nope", "no reference target 'client-nope' (known: ")]
    [InlineData("reference:client-pinned;client-default", "'client-default' is not reference:<name>")]
    public void A_bad_entry_in_the_target_list_is_an_environment_error_naming_the_setting_and_its_source(string targets, string says)
    {
        var (run, _) = Start(targets);

        var dynamic = run.Tests.Where(t => t.IsKind("dynamic")).ToList();
        dynamic.Should().HaveCount(4);
        // Nothing starts before every name is checked: no case of the good target passes either.
        dynamic.Should().OnlyContain(t => t.Result == "Fail" && t.Message.Contains("[environment] Not tested on ", StringComparison.Ordinal)
                                          && t.Message.Contains("MSTG_DYNAMIC_TARGET", StringComparison.Ordinal)
                                          && t.Message.Contains(says, StringComparison.Ordinal)
                                          && t.Message.Contains("from environment", StringComparison.Ordinal), run.Output);
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
        Table(run)["MSTG-NETWORK-4"].Should().ContainKey("client-pinned").WhoseValue.Should().Be("broken 2/2");
    }

    [Fact]
    public void A_target_whose_app_cannot_start_is_broken_and_the_next_target_is_still_judged()
    {
        // The Chromium target needs an Appium server; the one named is a loopback port nothing listens on.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var verdicts = Path.Combine(Directory.CreateTempSubdirectory("mstg-multitarget-").FullName, "dynamic-verdicts.json");
        var run = SuiteRun.Start(null, "L2", new Dictionary<string, string>
        {
            ["MSTG_ALLOW_NO_APP"] = "1",
            ["MSTG_DYNAMIC_TARGET"] = "reference:webapp-secure;reference:client-pinned",
            ["MSTG_DYNAMIC_VERDICTS"] = verdicts,
            ["MSTG_APPIUM_URL"] = $"http://127.0.0.1:{port}/",
        }, traits: [Network4]);

        var dynamic = run.Tests.Where(t => t.IsKind("dynamic")).ToList();
        dynamic.Where(t => Target(t) == "webapp-secure").Should().HaveCount(2).And.OnlyContain(t => t.Result == "Fail"
            && t.Message.Contains("[environment] Not tested on webapp-secure: the reference target webapp-secure could not start", StringComparison.Ordinal), run.Output);
        dynamic.Where(t => Target(t) == "client-pinned").Should().HaveCount(2).And.OnlyContain(t => t.Result == "Pass", run.Output);
        var table = Table(run);
        table["MSTG-NETWORK-4"]["webapp-secure"].Should().Be("broken 2/2");
        table["MSTG-NETWORK-4"]["client-pinned"].Should().Be("pass 2/2");
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
        // The verdicts file: the broken target's cases say so; the other's were judged.
        var cases = JsonDocument.Parse(File.ReadAllText(verdicts)).RootElement.GetProperty("cases").EnumerateArray().ToList();
        cases.Where(c => c.GetProperty("target").GetString() == "webapp-secure").Should().HaveCount(2).And.OnlyContain(c => c.GetProperty("outcome").GetString() == "broken");
        cases.Where(c => c.GetProperty("target").GetString() == "client-pinned").Should().HaveCount(2).And.OnlyContain(c => c.GetProperty("outcome").GetString() == "pass");
    }

    [Fact]
    public void Many_targets_wrap_the_console_table_into_blocks_no_wider_than_120_columns()
    {
        // Seven dynamic columns and the server's: too wide for one screen. A bad name makes every case broken without
        // running an app, which is enough for the layout.
        string[] names = ["client-pinned", "client-default", "client-no-validation", "client-tls10", "client-cleartext", "webapp-secure", "webapp-nope"];
        var (run, _) = Start(string.Join(";", names.Select(n => "reference:" + n)));

        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.Contains("MSTG summary table (requirement x target", StringComparison.Ordinal));
        var end = lines.FindIndex(start, l => l.Contains("MSTG outcome:", StringComparison.Ordinal));
        start.Should().BeGreaterThan(-1, run.Output);
        // The table's own text, after the runner's prefix of diagnostic lines.
        var table = lines.Skip(start + 1).Take(end - start - 1).Select(l => Regex.Replace(l, @"^\s*\[D::[^\]]*\] ", "")).ToList();
        table.Should().OnlyContain(l => l.Length <= 120, string.Join("\n", table));
        var headers = table.Where(l => l.StartsWith("  requirement", StringComparison.Ordinal)).ToList();
        headers.Should().HaveCountGreaterThan(1, "the columns do not fit one block");
        foreach (var name in names.Append("server"))
            headers.Should().ContainSingle(h => Regex.IsMatch(h, $@"\s{Regex.Escape(name)}(\s|$)"), $"{name} has one column");
        table.Count(l => l.StartsWith("  MSTG-NETWORK-4", StringComparison.Ordinal)).Should().Be(headers.Count, "each block repeats the requirement rows");
    }
}
