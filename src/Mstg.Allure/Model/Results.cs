namespace Mstg.Allure.Model;

/// <summary>
/// What tests, steps and fixtures share: they all have a name, an outcome, a time span and may hold nested
/// steps, attachments and parameters. Runtime code adds to the lists from several threads, so writers lock
/// on the item itself (see <see cref="Runtime.AllureLifecycle"/>).
/// </summary>
public abstract class ExecutableItem
{
    public string? Name { get; set; }
    public Status? Status { get; set; }
    public StatusDetails? StatusDetails { get; set; }
    public Stage Stage { get; set; } = Stage.Running;
    public long Start { get; set; }
    public long Stop { get; set; }
    public List<StepResult> Steps { get; set; } = [];
    public List<Attachment> Attachments { get; set; } = [];
    public List<Parameter> Parameters { get; set; } = [];
}

public sealed class StepResult : ExecutableItem;

/// <summary>One set-up (befores) or tear-down (afters) action of a container.</summary>
public sealed class FixtureResult : ExecutableItem;

/// <summary>Content of one <c>*-result.json</c>: one execution of one test (each theory row and retry gets its own).</summary>
public sealed class TestResult : ExecutableItem
{
    public required string Uuid { get; set; }
    public string? FullName { get; set; }
    public string? TestCaseId { get; set; }
    public string? HistoryId { get; set; }
    public List<string> TitlePath { get; set; } = [];
    public string? Description { get; set; }
    public List<Label> Labels { get; set; } = [];
    public List<Link> Links { get; set; } = [];
}

/// <summary>Content of one <c>*-container.json</c>: fixtures shared by the tests listed in <see cref="Children"/>.</summary>
public sealed class TestResultContainer
{
    public required string Uuid { get; set; }
    public string? Name { get; set; }
    public List<string> Children { get; set; } = [];
    public List<FixtureResult> Befores { get; set; } = [];
    public List<FixtureResult> Afters { get; set; } = [];
    public long Start { get; set; }
    public long Stop { get; set; }
}

/// <summary>One entry of categories.json (and of "categories" in allurerc.json for Allure 3).</summary>
public sealed class Category
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Java regex that must match the WHOLE failure message (Allure uses <c>matches()</c>), so wrap it in <c>.*</c>.</summary>
    public string? MessageRegex { get; init; }
    public string? TraceRegex { get; init; }
    public List<Status> MatchedStatuses { get; init; } = [];
    public bool? Flaky { get; init; }
}

/// <summary>Content of executor.json: who ran the tests (CI system, build number and link).</summary>
public sealed class ExecutorInfo
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Url { get; set; }
    public long? BuildOrder { get; set; }
    public string? BuildName { get; set; }
    public string? BuildUrl { get; set; }
    public string? ReportName { get; set; }
    public string? ReportUrl { get; set; }
}
