namespace Mstg.Devices.Scenarios;

/// <summary>A scenario the user wrote (docs/scenario.schema.json): what to do with the app so it talks to its servers.</summary>
public sealed record Scenario(string Name, IReadOnlyList<ScenarioStep> Steps, string Source);

/// <summary>What a step does. The JSON names are in <see cref="ScenarioParser"/>.</summary>
public enum StepAction { Launch, Terminate, Tap, Type, WaitFor, Wait, OpenUrl }

/// <summary>
/// How a step finds an element; each maps to one W3C locator strategy. Accessibility id, predicate and class chain are
/// XCUITest's (Appium's <c>accessibility id</c>, <c>-ios predicate string</c>, <c>-ios class chain</c>); css is for
/// the Chromium reference device.
/// </summary>
public enum LocatorKind { AccessibilityId, Predicate, ClassChain, XPath, Css, Id }

public sealed record Locator(LocatorKind Kind, string Value)
{
    /// <summary>The W3C <c>using</c> string Appium expects for this kind.</summary>
    public string Strategy => Kind switch
    {
        LocatorKind.AccessibilityId => "accessibility id",
        LocatorKind.Predicate => "-ios predicate string",
        LocatorKind.ClassChain => "-ios class chain",
        LocatorKind.XPath => "xpath",
        LocatorKind.Css => "css selector",
        LocatorKind.Id => "id",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public override string ToString() => $"{Strategy} '{Value}'";
}

/// <summary>One step, with the line it starts on in the scenario file (for messages and Allure step names).</summary>
public sealed record ScenarioStep(StepAction Action, int Line, Locator? Target = null, string? Text = null, string? Url = null, TimeSpan? Timeout = null)
{
    public string Describe() => Action switch
    {
        StepAction.Tap => $"tap {Target}",
        StepAction.Type => $"type into {Target}",
        StepAction.WaitFor => $"wait for {Target} (up to {Timeout?.TotalSeconds:0.#} s)",
        StepAction.Wait => $"wait {Timeout?.TotalSeconds:0.#} s",
        StepAction.OpenUrl => $"open {Url}",
        StepAction.Launch => "launch the app",
        StepAction.Terminate => "terminate the app",
        _ => Action.ToString(),
    };
}
