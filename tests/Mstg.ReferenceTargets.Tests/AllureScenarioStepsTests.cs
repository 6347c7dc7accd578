using System.Text.Json.Nodes;
using Mstg.Allure.Model;
using Mstg.Allure.Runtime;
using Mstg.Allure.Writing;
using Mstg.Devices.Scenarios;
using Mstg.ReferenceTargets.Appium;
using Mstg.ReferenceTargets.Backend;
using Mstg.ReferenceTargets.Catalog;
using Mstg.ReferenceTargets.Reporting;
using TestResult = Mstg.Allure.Model.TestResult;

namespace Mstg.ReferenceTargets.Tests;

/// <summary>
/// Scenario steps become Allure steps: a scenario with a failing step runs on a real Chromium session, and the
/// result file written by the real results writer holds every step, the failed one with its error, the screenshot
/// and the page source, and the steps after it as skipped. AllureLifecycle.Host is process-wide: only this class
/// sets it, and the other tests' drivers have no observer, so they never call the Allure API.
/// </summary>
public sealed class AllureScenarioStepsTests(ReferenceBackendFixture fixture, AppiumServerFixture appium) : IDisposable
{
    private readonly string _results = Directory.CreateTempSubdirectory("mstg-allure-scenario-").FullName;

    public void Dispose()
    {
        AllureLifecycle.Host = null;
        Directory.Delete(_results, recursive: true);
    }

    [Fact]
    public async Task Failing_step_is_a_failed_allure_step_with_screenshot_and_page_source()
    {
        var host = new OneTestHost(new AllureResultsWriter(_results));
        AllureLifecycle.Host = host;
        var scenario = ScenarioParser.Parse("""
            { "name": "login with a missing button", "steps": [
              { "action": "launch" },
              { "action": "waitFor", "css": "#login", "timeoutSeconds": 30 },
              { "action": "tap", "id": "no-such-button" },
              { "action": "waitFor", "css": "#status[data-state='logged-in']" }
            ] }
            """, "missing-button.json");
        var context = new ReferenceTargetContext(fixture.Backend) { Appium = appium.Server.Url, Runner = new ScenarioRunner(observer: new AllureScenarioObserver()) };
        await using (var driver = await ReferenceTargetCatalog.Get("webapp-secure").CreateAsync(context, ct: TestContext.Current.CancellationToken))
        {
            var run = await driver.RunScenarioAsync(scenario, TestContext.Current.CancellationToken);
            run.FirstFailure!.Step.Line.Should().Be(4);
        }
        var file = host.Writer.WriteResult(host.Test);

        var json = JsonNode.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken))!;
        var scenarioStep = json["steps"]!.AsArray().Single()!;
        scenarioStep["name"]!.GetValue<string>().Should().Be("scenario: login with a missing button");
        scenarioStep["status"]!.GetValue<string>().Should().Be("failed");
        var steps = scenarioStep["steps"]!.AsArray();
        steps.Select(s => (s!["name"]!.GetValue<string>(), s["status"]!.GetValue<string>())).Should().Equal(
            ("line 2: launch the app", "passed"),
            ("line 3: wait for css selector '#login' (up to 30 s)", "passed"),
            ("line 4: tap id 'no-such-button'", "failed"),
            ("line 5: wait for css selector '#status[data-state='logged-in']' (up to 10 s)", "skipped"));
        var failed = steps[2]!;
        failed["statusDetails"]!["message"]!.GetValue<string>().Should().Contain("no such element").And.Contain("button", "the locator is named");
        var attachments = failed["attachments"]!.AsArray().Select(a => (Type: a!["type"]!.GetValue<string>(), Source: a["source"]!.GetValue<string>())).ToList();
        attachments.Select(a => a.Type).Should().Equal("image/png", "text/html");
        var png = await File.ReadAllBytesAsync(Path.Combine(_results, attachments[0].Source), TestContext.Current.CancellationToken);
        png.Take(4).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        (await File.ReadAllTextAsync(Path.Combine(_results, attachments[1].Source), TestContext.Current.CancellationToken)).Should().Contain("id=\"login\"");
        steps.Take(2).Should().OnlyContain(s => s!["attachments"] == null || s["attachments"]!.AsArray().Count == 0, "only the failing step gets evidence");
    }

    /// <summary>The smallest runtime host: every call belongs to one test result, which the test writes itself.</summary>
    private sealed class OneTestHost(AllureResultsWriter writer) : IAllureRuntimeHost
    {
        public TestResult Test { get; } = new() { Uuid = Guid.NewGuid().ToString(), Name = "scenario steps", Status = Status.Passed, Stage = Stage.Finished };
        public AllureResultsWriter Writer => writer;
        public TestResult? CurrentTest() => Test;
        public FixtureResult? StartFixture(string name, FixtureKind kind) => null;
    }
}
