using System.Text.Json;
using Mstg.Fixtures.Proxy;

namespace Mstg.Suites.Tests;

/// <summary>
/// Issue 13: the run ends with a one-screen table, requirement × target (each app, each dynamic target, the server), on
/// the console and in mstg-run.json; and a dynamic-only run that passed is <c>passed</c>, not <c>nothing-tested</c>. Each case runs the
/// suite executable as a process.
/// </summary>
public sealed class RunSummaryTableTests
{
    private static Dictionary<string, Dictionary<string, string>> Table(SuiteRun run) =>
        run.Summary.GetProperty("table").EnumerateObject().ToDictionary(r => r.Name,
            r => r.Value.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetString()!));

    [Fact]
    public void InsecureBank_run_shows_its_failing_static_rows_and_skipped_dynamic_rows_in_the_table()
    {
        var run = SuiteRun.Start("reference:InsecureBank", "L2");

        var table = Table(run);
        table.Keys.Should().Equal(Enumerable.Range(1, 6).Select(i => $"MSTG-NETWORK-{i}"));
        // Columns: the app (by its key, the bundle id), the dynamic column ("dynamic": no reference target, no driver), the server rows.
        run.Summary.GetProperty("tableColumns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Equal("com.example.insecurebank", "dynamic", "server");
        // Static: per requirement the worst outcome of its checks and how many of them (KnownAnswerTests has each check's verdict).
        table["MSTG-NETWORK-1"]["com.example.insecurebank"].Should().Be("fail 1/2", "ATS fails, Binary passes");
        table["MSTG-NETWORK-2"]["com.example.insecurebank"].Should().Be("fail 2/2");
        table["MSTG-NETWORK-3"]["com.example.insecurebank"].Should().Be("fail 1/2");
        table["MSTG-NETWORK-4"]["com.example.insecurebank"].Should().Be("fail 1/2");
        table["MSTG-NETWORK-5"]["com.example.insecurebank"].Should().Be("skip 1/1", "a human review without an attestation is skipped");
        table["MSTG-NETWORK-6"]["com.example.insecurebank"].Should().Be("fail 1/1");
        // Dynamic: no device configured, one skipped row per requirement it covers; none for 5 and 6.
        foreach (var n in new[] { 1, 2, 3, 4 }) table[$"MSTG-NETWORK-{n}"]["dynamic"].Should().Be("skip 1/1");
        table["MSTG-NETWORK-5"]["dynamic"].Should().Be("-");
        table["MSTG-NETWORK-6"]["dynamic"].Should().Be("-");
        // Server: no endpoint configured, one skipped row per server check (NETWORK-2 and NETWORK-4, docs/tls.md).
        table["MSTG-NETWORK-2"]["server"].Should().Be("skip 1/1");
        table["MSTG-NETWORK-4"]["server"].Should().Be("skip 1/1");
        foreach (var n in new[] { 1, 3, 5, 6 }) table[$"MSTG-NETWORK-{n}"]["server"].Should().Be("-");

        // The same table on the console, one line per requirement, after the heading.
        run.Output.Should().Contain("MSTG summary table (requirement x target");
        run.Output.Should().MatchRegex(@"requirement\s+com\.example\.insecurebank\s+dynamic\s+server");
        run.Output.Should().MatchRegex(@"MSTG-NETWORK-2\s+fail 2/2\s+skip 1/1\s+skip 1/1");
        run.Output.Should().MatchRegex(@"MSTG-NETWORK-5\s+skip 1/1\s+-\s+-");
        run.Summary.GetProperty("outcome").GetString().Should().Be("failed");
        // Each test in mstg-run.json names the requirement, kind and target its cell counts it under.
        run.Summary.GetProperty("tests").EnumerateArray().Should().Contain(t =>
            t.GetProperty("requirement").GetString() == "MSTG-NETWORK-6" && t.GetProperty("kind").GetString() == "static"
            && t.GetProperty("target").GetString() == "com.example.insecurebank" && t.GetProperty("outcome").GetString() == "failed");
    }

    [Fact]
    public async Task A_dynamic_only_run_that_passes_is_passed_not_nothing_tested()
    {
        // A real HTTPS origin; the "app" is curl trusting only the origin's root, so passthrough sees TLS only: MSTG-NETWORK-1 passes.
        const string host = "api.mstg-summary.test";
        await using var origin = new TestOrigin(host);
        var dir = Directory.CreateTempSubdirectory("mstg-summary-origin-").FullName;
        var root = origin.WriteCaPem(dir);
        var run = SuiteRun.Start(null, "L1", new Dictionary<string, string>
        {
            ["MSTG_ALLOW_NO_APP"] = "1",
            ["MSTG_FIRST_PARTY_HOSTS"] = host,
            ["MSTG_PROXY_HOST_MAP"] = $"{host}=127.0.0.1:{origin.Port}",
            ["MSTG_PROXY_UPSTREAM_CA"] = root,
            ["MSTG_PROXY_HOST_MAP_ONLY"] = "1",
            ["MSTG_APP_CA"] = root,
            ["MSTG_DRIVER"] = "process",
            ["MSTG_APP_URL"] = $"https://{host}/summary",
            ["MSTG_APP_COMMAND"] = "curl -sS --fail --max-time 10 -H \"Connection: close\" --proxy {proxy} --cacert {ca} {url}",
        }, traits: ["Requirement=MSTG-NETWORK-1"]); // the static rows of MSTG-NETWORK-1 skip: no app


        var dynamicRows = run.Tests.Where(t => t.Class.Contains(".Dynamic.", StringComparison.Ordinal)).ToList();
        dynamicRows.Should().NotBeEmpty().And.OnlyContain(t => t.Result == "Pass", run.Output);
        run.Summary.GetProperty("outcome").GetString().Should().Be("passed", run.Output);
        run.ExitCode.Should().Be(0, run.Output);
        var table = Table(run);
        table["MSTG-NETWORK-1"]["dynamic"].Should().Be($"pass {dynamicRows.Count}/{dynamicRows.Count}");
        table["MSTG-NETWORK-1"].Keys.Should().Equal(["dynamic", "server"], "no app: no static column; a driver of your own is the dynamic column");
        table["MSTG-NETWORK-2"]["dynamic"].Should().Be("-", "only MSTG-NETWORK-1 ran");
        run.Output.Should().Contain("MSTG outcome: passed");
    }
}
