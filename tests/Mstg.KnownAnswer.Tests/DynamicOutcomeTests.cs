using System.Globalization;
using System.Text.Json;
using Mstg.ReferenceTargets.Backend;

namespace Mstg.KnownAnswer.Tests;

/// <summary>
/// The dynamic suite's two other ends, run as a separate process like the matrix: an app that cannot run is an
/// environment problem (Allure: broken, never failed), and with the app's .ipa configured the judge cross-checks the
/// verdict with the app's ATS settings. These runs configure their app the way a user does (a process driver with its
/// own command, host map and roots) against the reference backend started here, the same backend the matrix's
/// reference targets talk to.
/// </summary>
public sealed class DynamicOutcomeTests(ReferenceBackendFixture fixture) : IClassFixture<ReferenceBackendFixture>
{
    private const string Host = ReferenceHosts.Api;

    private Dictionary<string, string?> Settings(string command) => new()
    {
        ["MSTG_PROFILE"] = "L2",
        ["MSTG_FIRST_PARTY_HOSTS"] = Host,
        // The app calls the name on port 443, as a user's app does; the proxy's map sends it to the backend's HTTPS port.
        ["MSTG_PROXY_HOST_MAP"] = $"{Host}=127.0.0.1:{fixture.Backend.HttpsPort.ToString(CultureInfo.InvariantCulture)}",
        ["MSTG_PROXY_UPSTREAM_CA"] = fixture.Backend.RootPemPath,
        ["MSTG_PROXY_HOST_MAP_ONLY"] = "1",
        ["MSTG_APP_CA"] = fixture.Backend.RootPemPath,
        ["MSTG_DRIVER"] = "process",
        ["MSTG_APP_URL"] = $"https://{Host}/health",
        ["MSTG_APP_COMMAND"] = command,
    };

    [Fact]
    public async Task An_app_that_cannot_start_makes_every_case_broken_not_failed()
    {
        var run = await DynamicSuiteRun.RunAsync(Settings("/nonexistent/mstg-reference-app {url}"), TestContext.Current.CancellationToken);

        run.Cells.Should().HaveCount(13);
        run.Cells.Values.Should().OnlyContain(c => c.Cell == "broken not-run", run.Process.ToString());
        run.Cells.Values.Should().OnlyContain(c => c.Reason.Contains("/nonexistent/mstg-reference-app could not be started"));
        var allure = Directory.GetFiles(Path.Combine(run.WorkDirectory, "allure-results"), "*-result.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        allure.Should().HaveCount(13).And.OnlyContain(r => r.GetProperty("status").GetString() == "broken");
        allure.Should().OnlyContain(r => r.GetProperty("statusDetails").GetProperty("message").GetString()!.StartsWith("[environment] Not tested:"));
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
    }

    [Fact]
    public async Task With_the_apps_ipa_an_acceptance_ats_forbids_points_at_code_that_bypasses_ats()
    {
        // SecureBank keeps ATS's defaults: the system refuses an untrusted CA and TLS below 1.2 for any host. curl -k
        // accepting them is what code with its own trust decision does; the finding says so.
        var settings = Settings("curl -sS --fail --max-time 10 -H \"Connection: close\" -k --proxy {proxy} --cacert {ca} {url}");
        settings["MSTG_APP"] = "reference:SecureBank";
        var run = await DynamicSuiteRun.RunAsync(settings, TestContext.Current.CancellationToken);

        var accepted = run.Cells[$"n3-untrusted-ca@{Host}"];
        accepted.Cell.Should().Be("fail accepted", run.Process.ToString());
        accepted.Reason.Should().Contain("ATS predicts a refusal here").And.Contain("points at code that bypasses ATS");
        run.Cells[$"n2-weak-key@{Host}"].Reason.Should().Contain("points at code that bypasses ATS");
        // A refusal needs no remark, and without the .ipa (the matrix runs) there is none either.
        run.Cells[$"n2-tls10-only@{Host}"].Reason.Should().NotContain("bypasses");
    }

    [Fact]
    public async Task A_runsettings_reference_target_gives_way_to_a_driver_from_the_environment()
    {
        // local.runsettings' default target is client-pinned here (the matrix's client-pinned row passes NETWORK-4 with
        // it); a process driver from the environment replaces it: curl does not pin, so NETWORK-4 fails, against the
        // backend of the environment's host map, and the hosts are the environment's, not the reference target's.
        var settings = Settings("curl -sS --fail --max-time 10 -H \"Connection: close\" --proxy {proxy} --cacert {ca} {url}");
        settings["MSTG_DEFAULT_DYNAMIC_TARGET"] = "reference:client-pinned";
        var run = await DynamicSuiteRun.RunAsync(settings, TestContext.Current.CancellationToken);

        run.Cells.Should().HaveCount(13, run.Process.ToString());
        run.Cells[$"n4-trusted-ca@{Host}"].Cell.Should().Be("fail accepted", run.Process.ToString());
        run.Cells[$"n4-trusted-ca@{Host}"].Reason.Should().NotContain("reference");
    }

    [Fact]
    public async Task A_reference_target_that_does_not_exist_makes_every_case_broken_naming_the_setting()
    {
        var run = await DynamicSuiteRun.RunAsync(new Dictionary<string, string?> { ["MSTG_PROFILE"] = "L2", ["MSTG_DYNAMIC_TARGET"] = "reference:no-such-client" },
            TestContext.Current.CancellationToken);

        run.Cells.Should().HaveCount(25, "12 probes on each of the two reference first-party hosts plus the run-wide cleartext case");
        run.Cells.Values.Should().OnlyContain(c => c.Cell == "broken not-run" && c.Reason.Contains("MSTG_DYNAMIC_TARGET") && c.Reason.Contains("no-such-client"),
            run.Process.ToString());
    }

    [Fact]
    public async Task A_busy_proxy_port_makes_every_case_broken_naming_the_proxy()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var settings = Settings("curl -sS --fail --max-time 10 --proxy {proxy} --cacert {ca} {url}");
        settings["MSTG_PROXY_PORT"] = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = await DynamicSuiteRun.RunAsync(settings, TestContext.Current.CancellationToken);

        run.Cells.Values.Should().HaveCount(13).And.OnlyContain(c => c.Cell == "broken not-run" && c.Reason.Contains("the run's proxy did not start"),
            run.Process.ToString());
        run.Summary.GetProperty("outcome").GetString().Should().Be("environment-error");
    }

    [Fact]
    public async Task Conditions_the_target_cannot_be_tested_under_are_skipped_and_the_rest_judged()
    {
        var settings = Settings("curl -sS --fail --max-time 10 --proxy {proxy} --cacert {ca} {url}");
        settings["MSTG_DYNAMIC_UNSUPPORTED_CONDITIONS"] = "tls10-only, tls11-only";
        var run = await DynamicSuiteRun.RunAsync(settings, TestContext.Current.CancellationToken);

        foreach (var probe in new[] { "n2-tls10-only", "n2-tls11-only" })
        {
            var cell = run.Cells[$"{probe}@{Host}"];
            cell.Cell.Should().Be("skip not-run");
            cell.XunitResult.Should().Be("Skip");
            cell.Reason.Should().Contain("MSTG_DYNAMIC_UNSUPPORTED_CONDITIONS");
        }
        run.Cells[$"n3-expired@{Host}"].Cell.Should().Be("pass refused/tls-alert/certificate_expired", run.Process.ToString());
        run.Verdicts.GetProperty("conditions").EnumerateArray().Select(c => c.GetProperty("condition").GetString())
            .Should().NotContain(["tls10-only", "tls11-only"], "the app is never run under a skipped condition");
    }

    [Fact]
    public async Task Allure_results_of_dynamic_cases_carry_requirement_labels_parameters_and_evidence()
    {
        var run = await DynamicSuiteRun.RunAsync(Settings("curl -sS --fail --max-time 10 -H \"Connection: close\" --proxy {proxy} --cacert {ca} {url}"),
            TestContext.Current.CancellationToken);
        var results = Directory.GetFiles(Path.Combine(run.WorkDirectory, "allure-results"), "*-result.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        static IEnumerable<string> Labels(JsonElement r, string name) => r.GetProperty("labels").EnumerateArray()
            .Where(l => l.GetProperty("name").GetString() == name).Select(l => l.GetProperty("value").GetString()!);
        static string? Parameter(JsonElement r, string name) => r.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() == name).Select(p => p.GetProperty("value").GetString()).FirstOrDefault();

        results.Should().HaveCount(13);
        results.Where(r => !Labels(r, "tag").Contains("dynamic") || !Labels(r, "parentSuite").Contains("Dynamic analysis")).Should().BeEmpty();
        var pinning = results.Single(r => Labels(r, "feature").Contains("MSTG-NETWORK-4"));
        pinning.GetProperty("status").GetString().Should().Be("failed", "curl does not pin and the run is L2");
        Labels(pinning, "epic").Should().Equal("MASVS-NETWORK-2");
        Labels(pinning, "story").Should().Equal("MASTG-TEST-0244");
        Labels(pinning, "rule").Should().Contain("DYN-NOT-PINNED");
        pinning.GetProperty("statusDetails").GetProperty("message").GetString().Should().StartWith("[pinning-missing] MSTG-NETWORK-4: api.mstg-ref.test under trusted-ca: accepted");
        Parameter(pinning, "condition").Should().Be("\"trusted-ca\"");
        Parameter(pinning, "host").Should().Be($"\"{Host}\"");
        var attachments = pinning.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        attachments.Should().Contain(["handshake summary", "proxy events.jsonl", "findings.json", "app log"]);
        var summary = pinning.GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "handshake summary");
        File.ReadAllText(Path.Combine(run.WorkDirectory, "allure-results", summary.GetProperty("source").GetString()!))
            .Should().Contain("Accepted, 1 request(s), handshake completed").And.Contain("ClientHello sni=api.mstg-ref.test");

        var expired = results.Single(r => Parameter(r, "condition") == "\"expired\"");
        expired.GetProperty("status").GetString().Should().Be("passed");
        Labels(expired, "feature").Should().Equal("MSTG-NETWORK-3");
    }
}
