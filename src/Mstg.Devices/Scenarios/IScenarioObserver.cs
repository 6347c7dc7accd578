namespace Mstg.Devices.Scenarios;

/// <summary>
/// Hears a scenario run as it happens, so a report can show each step live (an Allure step per scenario step) while
/// Mstg.Devices knows nothing of any report. Calls come in order on the runner's flow: <see cref="ScenarioStarted"/>,
/// then per step <see cref="StepStarted"/> and <see cref="StepFinished"/> (steps after a failure too, as
/// <see cref="StepOutcome.NotRun"/>), then <see cref="ScenarioFinished"/> (or <see cref="ScenarioAborted"/>). The calls are synchronous on purpose: an
/// observer that keeps per-flow state (an open report step in an AsyncLocal) sees it from one call to the next.
/// </summary>
public interface IScenarioObserver
{
    void ScenarioStarted(Scenario scenario);
    void StepStarted(ScenarioStep step);
    /// <summary>The step's result; a failed step carries the screenshot and page source taken right after the failure.</summary>
    void StepFinished(StepResult result);
    void ScenarioFinished(ScenarioResult result);
    /// <summary>The run stopped on an error of the environment or a cancellation, which propagates; the step that was running has no result.</summary>
    void ScenarioAborted(Exception error);
}
