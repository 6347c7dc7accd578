using Mstg.Devices.CommandLine;
using Mstg.Devices.Scenarios;
using Mstg.Devices.Tests.Infrastructure;
using Mstg.Proxy.Certificates;

namespace Mstg.Devices.Tests;

/// <summary>
/// A command-line client as the app: real curl through the suite's proxy. {ca} is the trusted file the driver chooses,
/// so the same template shows both sides of a condition: with the run's CA curl gets the page, without it curl refuses.
/// </summary>
public sealed class ProcessAppDriverTests
{
    private static readonly IReadOnlyList<string> Curl = ProcessAppSettings.SplitTemplate("curl --silent --show-error --fail --max-time 20 --proxy {proxy} --cacert {ca} {url}");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Scenario Launch = ScenarioParser.Parse("""{ "steps": [ { "action": "launch" } ] }""", "launch.json");

    [Fact]
    public async Task Curl_trusting_the_run_ca_gets_the_page_through_the_intercepting_proxy_and_refuses_it_otherwise()
    {
        await using var origin = new ReferenceOrigin(tls: true);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.TrustedCa, origin.RootPem);
        var dir = Directory.CreateTempSubdirectory("mstg-curl-").FullName;
        await using var app = new ProcessAppDriver(new ProcessAppSettings(Curl, origin.Url, proxy.Url));

        // Not trusted: {ca} is the system bundle, which does not hold the run CA; curl says why and exits 60.
        var refused = await app.RunScenarioAsync(Launch, Ct);
        refused.Passed.Should().BeFalse(app.LastRun.ToString());
        refused.FirstFailure!.Error.Should().Contain("exited with 60");
        refused.FirstFailure.PageSource.Should().Contain("SSL certificate problem");
        origin.Requests.Should().Be(0);

        await app.TrustCaAsync(proxy.WriteCaPem(dir), Ct);
        app.Arguments.Should().Contain(Path.Combine(dir, "run-ca.pem"));
        var accepted = await app.RunScenarioAsync(Launch, Ct);
        accepted.Passed.Should().BeTrue(app.LastRun.ToString());
        app.LastRun.Stdout.Should().Contain("Reference bank");
        (await proxy.WaitForEventAsync(e => e.Type == "flow" && e.Url == "https://bank.reference.test/" && e.Status == 200, TimeSpan.FromSeconds(10)))
            .Should().BeTrue("the proxy decrypted curl's request: " + proxy.Describe());

        await app.DistrustCaAsync(Ct);
        (await app.RunScenarioAsync(Launch, Ct)).Passed.Should().BeFalse("the run CA was withdrawn");
    }

    [Fact]
    public async Task Open_url_step_sets_the_url_placeholder_and_passthrough_reaches_the_origin_untouched()
    {
        await using var origin = new ReferenceOrigin(tls: true);
        await using var proxy = new ProxyRecorder(origin, CertificateCondition.Passthrough);
        var dir = Directory.CreateTempSubdirectory("mstg-curl-pass-").FullName;
        await using var app = new ProcessAppDriver(new ProcessAppSettings(Curl, new Uri("https://bank.reference.test/nothing-here"), proxy.Url));
        await app.TrustCaAsync(origin.WriteRootPem(dir), Ct);

        var result = await app.RunScenarioAsync(ScenarioParser.Parse("""
            { "steps": [ { "action": "openUrl", "url": "https://bank.reference.test/api/balance" } ] }
            """, "open.json"), Ct);

        result.Passed.Should().BeTrue(app.LastRun.ToString());
        app.LastRun.Stdout.Should().Contain("42.00 EUR");
        await app.StopAsync(Ct);
        (await proxy.WaitForEventAsync(e => e.Host == ReferenceOrigin.Host, TimeSpan.FromSeconds(10))).Should().BeTrue(proxy.Describe());
        proxy.Events.Should().NotContain(e => e.Type == "flow", "passthrough tunnels TLS; the proxy sees no request");
    }

    [Fact]
    public async Task Placeholder_values_stay_one_argument_because_no_shell_runs()
    {
        await using var app = new ProcessAppDriver(new ProcessAppSettings(["printf", "[%s]", "{url}"], new Uri("https://bank.reference.test/a;b$(id)&c=1"), null));
        var result = await app.RunScenarioAsync(Launch, Ct);
        result.Passed.Should().BeTrue(app.LastRun.ToString());
        app.LastRun.Stdout.Should().Be("[https://bank.reference.test/a;b$(id)&c=1]\n");
        (await app.DeviceLogAsync(Ct)).Should().StartWith("exit 0").And.Contain("[https://bank.reference.test/a;b$(id)&c=1]");
    }

    [Fact]
    public async Task Wait_and_terminate_steps_run_in_order_with_launch()
    {
        await using var app = new ProcessAppDriver(new ProcessAppSettings(["printf", "ran"], new Uri("https://bank.reference.test/"), null));
        var result = await app.RunScenarioAsync(ScenarioParser.Parse("""
            { "steps": [ { "action": "wait", "seconds": 0.1 }, { "action": "launch" }, { "action": "terminate" } ] }
            """, "order.json"), Ct);
        result.Steps.Select(s => s.Outcome).Should().Equal(StepOutcome.Passed, StepOutcome.Passed, StepOutcome.Passed);
        app.LastRun.Stdout.Should().Be("ran\n");
    }

    [Fact]
    public async Task Element_steps_fail_as_not_supported_by_a_command_line_client()
    {
        await using var app = new ProcessAppDriver(new ProcessAppSettings(["true"], new Uri("https://bank.reference.test/"), null));
        var result = await app.RunScenarioAsync(ScenarioParser.Parse("""{ "steps": [ { "action": "tap", "id": "x" } ] }""", "tap.json"), Ct);
        result.FirstFailure!.Error.Should().Contain("command-line client");
    }

    [Fact]
    public async Task A_missing_program_is_an_environment_error()
    {
        await using var app = new ProcessAppDriver(new ProcessAppSettings(["/nonexistent/sdk-sample", "{url}"], new Uri("https://bank.reference.test/"), null));
        var start = () => app.StartAsync(Ct);
        (await start.Should().ThrowAsync<DeviceEnvironmentException>()).Which.Message.Should().Contain("/nonexistent/sdk-sample");
    }

    [Theory]
    [InlineData("curl --proxy {proxy} {url}", new[] { "curl", "--proxy", "{proxy}", "{url}" })]
    [InlineData("sdk-sample  --header \"X-Run: mstg 42\" {url}", new[] { "sdk-sample", "--header", "X-Run: mstg 42", "{url}" })]
    [InlineData("tool \"\" {ca}", new[] { "tool", "", "{ca}" })]
    public void Template_splits_on_spaces_with_double_quotes_grouping(string template, string[] expected) =>
        ProcessAppSettings.SplitTemplate(template).Should().Equal(expected);

    [Fact]
    public void Bad_templates_are_refused_with_the_reason()
    {
        var unclosed = () => ProcessAppSettings.SplitTemplate("curl \"{url}");
        unclosed.Should().Throw<ArgumentException>().WithMessage("*unclosed quote*");
        var unknown = () => new ProcessAppDriver(new ProcessAppSettings(["curl", "--cert", "{client-cert}", "{url}"], new Uri("https://x.test/"), null));
        unknown.Should().Throw<ArgumentException>().WithMessage("*{client-cert}*");
    }
}
