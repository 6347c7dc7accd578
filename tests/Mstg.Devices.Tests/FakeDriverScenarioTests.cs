using Mstg.Devices.Appium;
using Mstg.Devices.Scenarios;

namespace Mstg.Devices.Tests;

/// <summary>
/// NOT an iOS run: the XCUITest driver class with Appium's fake driver behind it (no Mac here). It proves that scenario
/// steps reach a real Appium server with the XCUITest locator strategies (the fake driver answers "accessibility id"),
/// that a failing step carries a screenshot and the page source, and that XCUITest-only commands become environment errors.
/// </summary>
public sealed class FakeDriverScenarioTests(AppiumServerFixture appium)
{
    private AppiumXcuitestDriver Driver(IScenarioObserver? observer = null)
    {
        var options = new AppiumOptions { PlatformName = "Fake", AutomationName = "Fake", DeviceName = "Fake", App = Path.Combine(AppContext.BaseDirectory, "Assets", "fake-bank.xml") };
        return new AppiumXcuitestDriver(new DeviceTarget("fake (not iOS)", appium.Server.Url, options, "org.example.bank", []), new ScenarioRunner(observer: observer));
    }

    [Fact]
    public async Task Fake_driver_not_iOS_observer_hears_every_step_in_order_with_the_failure_evidence()
    {
        var heard = new RecordingObserver();
        await using var driver = Driver(heard);
        var scenario = ScenarioParser.Parse("""
            { "name": "observed", "steps": [
              { "action": "waitFor", "accessibilityId": "user" },
              { "action": "waitFor", "accessibilityId": "no-such-element", "timeoutSeconds": 0.5 },
              { "action": "tap", "accessibilityId": "sign-in" }
            ] }
            """, "observed.json");
        var result = await driver.RunScenarioAsync(scenario, TestContext.Current.CancellationToken);
        heard.Events.Should().Equal("scenario observed", "start 2", "end 2 Passed", "start 3", "end 3 Failed png+source", "start 4", "end 4 NotRun", "finished False");
        heard.Finished.Should().BeSameAs(result);
    }

    [Fact]
    public async Task Fake_driver_not_iOS_observer_hears_an_environment_error_as_aborted()
    {
        var heard = new RecordingObserver();
        await using var driver = Driver(heard);
        var run = () => driver.RunScenarioAsync(ScenarioParser.Parse("""{ "name": "launch", "steps": [ { "action": "launch" } ] }""", "launch.json"), TestContext.Current.CancellationToken);
        await run.Should().ThrowAsync<DeviceEnvironmentException>();
        heard.Events.Should().Equal("scenario launch", "start 1", "aborted DeviceEnvironmentException");
    }

    private sealed class RecordingObserver : IScenarioObserver
    {
        public List<string> Events { get; } = [];
        public ScenarioResult? Finished { get; private set; }
        public void ScenarioStarted(Scenario scenario) => Events.Add("scenario " + scenario.Name);
        public void StepStarted(ScenarioStep step) => Events.Add($"start {step.Line}");
        public void StepFinished(StepResult result) => Events.Add($"end {result.Step.Line} {result.Outcome}{(result.Screenshot is not null && result.PageSource is not null ? " png+source" : "")}");
        public void ScenarioFinished(ScenarioResult result) { Finished = result; Events.Add($"finished {result.Passed}"); }
        public void ScenarioAborted(Exception error) => Events.Add("aborted " + error.GetType().Name);
    }

    [Fact]
    public async Task Fake_driver_not_iOS_scenario_steps_find_by_accessibility_id_and_xpath()
    {
        await using var driver = Driver();
        var scenario = ScenarioParser.Parse("""
            { "name": "sign in", "steps": [
              { "action": "waitFor", "accessibilityId": "user", "timeoutSeconds": 5 },
              { "action": "type", "accessibilityId": "user", "text": "alice" },
              { "action": "tap", "xpath": "//MockButton[@id='sign-in']" }
            ] }
            """, "sign-in.json");
        var result = await driver.RunScenarioAsync(scenario, TestContext.Current.CancellationToken);
        result.Passed.Should().BeTrue(string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Outcome} {s.Error}")));
        result.Steps.Select(s => s.Name).Should().Equal(
            "line 2: wait for accessibility id 'user' (up to 5 s)", "line 3: type into accessibility id 'user'", "line 4: tap xpath '//MockButton[@id='sign-in']'");
        driver.Session.SwitchTo().Alert().Text.Should().Be("Signed in over HTTPS", "the tap reached the fake app");
    }

    [Fact]
    public async Task Fake_driver_not_iOS_failing_step_attaches_screenshot_and_page_source_and_stops_the_scenario()
    {
        await using var driver = Driver();
        var scenario = ScenarioParser.Parse("""
            { "steps": [
              { "action": "waitFor", "accessibilityId": "user" },
              { "action": "waitFor", "accessibilityId": "no-such-element", "timeoutSeconds": 0.5 },
              { "action": "tap", "accessibilityId": "sign-in" }
            ] }
            """, "fails.json");
        var result = await driver.RunScenarioAsync(scenario, TestContext.Current.CancellationToken);
        result.Passed.Should().BeFalse();
        result.Steps.Select(s => s.Outcome).Should().Equal(StepOutcome.Passed, StepOutcome.Failed, StepOutcome.NotRun);
        var failure = result.FirstFailure!;
        failure.Name.Should().StartWith("line 3:");
        failure.Error.Should().Contain("no element matched accessibility id 'no-such-element'");
        failure.Screenshot!.Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        failure.PageSource.Should().Contain("sign-in");
    }

    [Fact]
    public async Task Fake_driver_not_iOS_launch_step_fails_naming_the_missing_mobile_method()
    {
        // mobile: launchApp exists only in XCUITest; here it must read as "this driver cannot", not as an app failure.
        await using var driver = Driver();
        var scenario = ScenarioParser.Parse("""{ "steps": [ { "action": "launch" } ] }""", "launch.json");
        var run = () => driver.RunScenarioAsync(scenario, TestContext.Current.CancellationToken);
        (await run.Should().ThrowAsync<DeviceEnvironmentException>()).Which.Message.Should().Contain("mobile: launchApp").And.Contain("Fake driver");
    }

    [Fact]
    public async Task Fake_driver_not_iOS_trusting_a_ca_is_an_environment_error_naming_install_certificate()
    {
        await using var driver = Driver();
        var pem = Path.Combine(Directory.CreateTempSubdirectory("mstg-fake-ca-").FullName, "ca.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=MstgTests run CA (fake)", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(pem, ca.ExportCertificatePem(), TestContext.Current.CancellationToken);
        }
        var trust = () => driver.TrustCaAsync(pem, TestContext.Current.CancellationToken);
        (await trust.Should().ThrowAsync<DeviceEnvironmentException>()).Which.Message.Should().Contain("mobile: installCertificate");
    }

    [Fact]
    public async Task Fake_driver_not_iOS_asking_for_the_ios_syslog_is_an_environment_error_naming_the_log()
    {
        // The fake driver keeps no syslog; XCUITest does. The error must say which log, not fail the app.
        await using var driver = Driver();
        await driver.StartAsync(TestContext.Current.CancellationToken);
        var read = () => driver.DeviceLogAsync(TestContext.Current.CancellationToken);
        (await read.Should().ThrowAsync<DeviceEnvironmentException>()).Which.Message.Should().Contain("syslog log");
    }
}
