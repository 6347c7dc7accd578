using System.Diagnostics;
using OpenQA.Selenium;

namespace Mstg.Devices.Scenarios;

/// <summary>
/// Runs a scenario's steps in order against a target. The first failing step stops the run (later steps are recorded as
/// not run) and gets a screenshot and the page source. Errors of the environment (<see cref="DeviceEnvironmentException"/>)
/// and cancellation are not step failures: they propagate, so a broken device never reads as a failed requirement.
/// An <see cref="IScenarioObserver"/> hears each step start and finish (the Allure adapter turns them into steps).
/// </summary>
public sealed class ScenarioRunner(TimeProvider? time = null, IScenarioObserver? observer = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IScenarioObserver? Observer => observer;

    public async Task<ScenarioResult> RunAsync(Scenario scenario, IScenarioTarget target, CancellationToken ct = default)
    {
        try
        {
            return await RunStepsAsync(scenario, target, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (observer is not null)
        {
            observer.ScenarioAborted(e);
            throw;
        }
    }

    private async Task<ScenarioResult> RunStepsAsync(Scenario scenario, IScenarioTarget target, CancellationToken ct)
    {
        var results = new List<StepResult>(scenario.Steps.Count);
        var failed = false;
        observer?.ScenarioStarted(scenario);
        foreach (var step in scenario.Steps)
        {
            observer?.StepStarted(step);
            if (failed)
            {
                Finish(new StepResult(step, StepOutcome.NotRun, TimeSpan.Zero));
                continue;
            }
            var started = _time.GetTimestamp();
            try
            {
                await RunStepAsync(step, target, ct).ConfigureAwait(false);
                Finish(new StepResult(step, StepOutcome.Passed, _time.GetElapsedTime(started)));
            }
            catch (Exception e) when (e is WebDriverException or NotSupportedException or StepFailedException or InvalidOperationException)
            {
                failed = true;
                var elapsed = _time.GetElapsedTime(started);
                Finish(new StepResult(step, StepOutcome.Failed, elapsed, e.Message.Split('\n', 2)[0].Trim(),
                    await Safely(() => target.ScreenshotAsync(ct)).ConfigureAwait(false),
                    await Safely(() => target.PageSourceAsync(ct)).ConfigureAwait(false)));
            }
        }
        var result = new ScenarioResult(scenario, results);
        observer?.ScenarioFinished(result);
        return result;

        void Finish(StepResult stepResult)
        {
            results.Add(stepResult);
            observer?.StepFinished(stepResult);
        }
    }

    private async Task RunStepAsync(ScenarioStep step, IScenarioTarget target, CancellationToken ct)
    {
        switch (step.Action)
        {
            case StepAction.Launch: await target.LaunchAsync(ct).ConfigureAwait(false); break;
            case StepAction.Terminate: await target.TerminateAsync(ct).ConfigureAwait(false); break;
            case StepAction.OpenUrl: await target.OpenUrlAsync(new Uri(step.Url!), ct).ConfigureAwait(false); break;
            case StepAction.Tap: await target.TapAsync(step.Target!, ct).ConfigureAwait(false); break;
            case StepAction.Type: await target.TypeAsync(step.Target!, step.Text!, ct).ConfigureAwait(false); break;
            case StepAction.Wait: await Task.Delay(step.Timeout!.Value, _time, ct).ConfigureAwait(false); break;
            case StepAction.WaitFor:
                var deadline = _time.GetTimestamp();
                while (!await target.IsPresentAsync(step.Target!, ct).ConfigureAwait(false))
                {
                    if (_time.GetElapsedTime(deadline) >= step.Timeout!.Value)
                        throw new StepFailedException($"no element matched {step.Target} within {step.Timeout.Value.TotalSeconds:0.#} s");
                    await Task.Delay(PollInterval, _time, ct).ConfigureAwait(false);
                }
                break;
            default: throw new NotSupportedException($"action {step.Action}");
        }
    }

    /// <summary>Evidence after a failure is best effort: a session that died cannot give a screenshot, and that must not hide the step's own error.</summary>
    private static async Task<T?> Safely<T>(Func<Task<T?>> take) where T : class
    {
        try { return await take().ConfigureAwait(false); }
        catch (Exception e) when (e is WebDriverException or NotSupportedException or InvalidOperationException or IOException) { return null; }
    }
}

/// <summary>A step that ran and did not get what it waited for.</summary>
public sealed class StepFailedException(string message) : Exception(message);
