namespace Mstg.Devices.Scenarios;

public enum StepOutcome { Passed, Failed, NotRun }

/// <summary>
/// What one step did, as data the suites turn into an Allure step. A failed step carries the screenshot (PNG) and page
/// source taken right after the failure, when the target can give them.
/// </summary>
public sealed record StepResult(ScenarioStep Step, StepOutcome Outcome, TimeSpan Duration, string? Error = null, byte[]? Screenshot = null, string? PageSource = null)
{
    public string Name => $"line {Step.Line}: {Step.Describe()}";
}

public sealed record ScenarioResult(Scenario Scenario, IReadOnlyList<StepResult> Steps)
{
    public bool Passed => Steps.All(s => s.Outcome == StepOutcome.Passed);
    public StepResult? FirstFailure => Steps.FirstOrDefault(s => s.Outcome == StepOutcome.Failed);
}
