using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Mstg.Allure.Categories;
using Mstg.Allure.Model;
using Mstg.Allure.Runtime;
using Mstg.Allure.Settings;
using Mstg.Allure.Writing;
using Mstg.Allure.Xunit.Mapping;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;
using TestResult = Mstg.Allure.Model.TestResult;
using TestContext = Xunit.TestContext;

namespace Mstg.Allure.Xunit;

/// <summary>
/// Turns the execution messages of one test assembly into Allure files, and serves the runtime API
/// (<see cref="IAllureRuntimeHost"/>) for the test and fixture code of the same run.
/// </summary>
/// <remarks>
/// Containers: every test is a child of the containers of its class, collection and assembly (and of its own,
/// for set-up in the constructor / tear-down in Dispose). A container is written only if fixtures were recorded
/// into it, when its scope finishes — by then the fixture's Dispose has run.
/// </remarks>
internal sealed class AllureRecorder : IAllureRuntimeHost
{
    private static readonly object PrepareLock = new();
    private static readonly HashSet<string> PreparedDirectories = [];

    private readonly Dictionary<string, IXunitTestCase> _testCases;
    private readonly string _assemblyName;
    private readonly ConcurrentDictionary<string, RunningTest> _running = new();
    private readonly ConcurrentDictionary<string, ContainerState> _containers = new();

    private readonly Devices.RunDevice? _device;

    private AllureRecorder(AllureResultsWriter writer, Assembly assembly, IReadOnlyCollection<IXunitTestCase> testCases, Devices.RunDevice? device)
    {
        Writer = writer;
        _device = device;
        _assemblyName = assembly.GetName().Name ?? "tests";
        _testCases = testCases.GroupBy(t => t.UniqueID).ToDictionary(g => g.Key, g => g.First());
    }

    public AllureResultsWriter Writer { get; }

    public static AllureRecorder ForRun(AllureSettings settings, Assembly assembly, IReadOnlyCollection<IXunitTestCase> testCases)
    {
        var writer = new AllureResultsWriter(settings.ResultsDirectory);
        // Clean once per process and folder: a runner may call RunTestCases several times (one batch per filter).
        lock (PrepareLock)
        {
            if (PreparedDirectories.Add(writer.Directory))
            {
                try
                {
                    writer.Prepare(settings.Clean, settings.PreviousReport);
                    writer.WriteCategories(MstgCategories.All);
                    writer.WriteEnvironment(EnvironmentEntries(assembly, settings.Device));
                    writer.WriteExecutor(ExecutorFromCi());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Without this the runner only says "Catastrophic failure" with a bare file name.
                    throw new InvalidOperationException(
                        $"The Allure results folder '{writer.Directory}' cannot be written ({e.Message}). " +
                        $"Set {AllureSettings.ResultsVariable} to a folder this user can create, or leave it unset for allure-results/ next to the test assembly.", e);
                }
            }
        }
        return new AllureRecorder(writer, assembly, testCases, settings.Device);
    }

    // ---- IAllureRuntimeHost ----

    public TestResult? CurrentTest()
    {
        var test = TestContext.Current.Test;
        return test is not null && _running.TryGetValue(test.UniqueID, out var running) ? running.Result : null;
    }

    public FixtureResult? StartFixture(string name, FixtureKind kind)
    {
        var context = TestContext.Current;
        ContainerState? container;
        bool afterTests;
        switch (context.PipelineStage)
        {
            case TestPipelineStage.TestExecution when context.Test is { } test && _running.TryGetValue(test.UniqueID, out var running):
                container = running.OwnContainer ??= NewContainer($"test:{test.UniqueID}", running.Result.Name, [running.Result.Uuid]);
                // Constructor → set-up; Dispose (the instance exists by then) → tear-down.
                afterTests = context.TestClassInstance is not null;
                break;
            case TestPipelineStage.TestClassExecution when context.TestClass is { } testClass:
                container = Container(testClass.UniqueID, testClass.TestClassSimpleName);
                afterTests = container.AnyTestStarted;
                break;
            case TestPipelineStage.TestCollectionExecution when context.TestCollection is { } collection:
                container = Container(collection.UniqueID, collection.TestCollectionDisplayName);
                afterTests = container.AnyTestStarted;
                break;
            case TestPipelineStage.TestAssemblyExecution when context.TestAssembly is { } assembly:
                container = Container(assembly.UniqueID, _assemblyName);
                afterTests = container.AnyTestStarted;
                break;
            default:
                return null;
        }
        var fixture = new FixtureResult { Name = name };
        var setUp = kind == FixtureKind.SetUp || (kind == FixtureKind.Auto && !afterTests);
        lock (container) (setUp ? container.Model.Befores : container.Model.Afters).Add(fixture);
        return fixture;
    }

    // ---- messages ----

    public void OnMessage(IMessageSinkMessage message)
    {
        switch (message)
        {
            case ITestStarting starting: OnTestStarting(starting); break;
            case ITestPassed passed: Finish(passed, Status.Passed, null); break;
            case ITestFailed failed: OnTestFailed(failed); break;
            case ITestSkipped skipped: Finish(skipped, Status.Skipped, new StatusDetails { Message = skipped.Reason }); break;
            case ITestNotRun notRun: Finish(notRun, Status.Skipped, new StatusDetails { Message = "Not run (explicit test)" }); break;
            case ITestFinished finished: OnTestFinished(finished); break;
            case ITestClassCleanupFailure f when f.TestClassUniqueID is not null: AddCleanupFailure(f.TestClassUniqueID, f); break;
            case ITestCollectionCleanupFailure f when f.TestCollectionUniqueID is not null: AddCleanupFailure(f.TestCollectionUniqueID, f); break;
            case ITestAssemblyCleanupFailure f: AddCleanupFailure(f.AssemblyUniqueID, f); break;
            case ITestClassFinished f when f.TestClassUniqueID is not null: WriteContainer(f.TestClassUniqueID); break;
            case ITestCollectionFinished f when f.TestCollectionUniqueID is not null: WriteContainer(f.TestCollectionUniqueID); break;
            case ITestAssemblyFinished f: WriteContainer(f.AssemblyUniqueID); break;
        }
    }

    private void OnTestStarting(ITestStarting message)
    {
        if (!_testCases.TryGetValue(message.TestCaseUniqueID, out var testCase)) return;
        // Delivered synchronously on the test's flow, so the context holds the test with its actual arguments.
        // When a class fixture failed there is no test object yet: fall back to the test case's own arguments.
        var arguments = (TestContext.Current.Test as IXunitTest)?.TestMethodArguments
                        ?? (testCase as XunitTestCase)?.TestMethodArguments;
        var result = TestResultFactory.Create(testCase, message.TestDisplayName, arguments, message.Traits,
            message.StartTime.ToUnixTimeMilliseconds());
        // Before any runtime parameter, so the device is part of the key from the start (the historyId is computed at the end).
        _device?.Apply(result);
        _running[message.TestUniqueID] = new RunningTest(result);
        foreach (var scope in new[] { testCase.TestClass.UniqueID, testCase.TestCollection.UniqueID, testCase.TestCollection.TestAssembly.UniqueID })
        {
            var container = Container(scope, null);
            lock (container)
            {
                container.Model.Children.Add(result.Uuid);
                container.AnyTestStarted = true;
            }
        }
    }

    private void OnTestFailed(ITestFailed failed)
    {
        // Timeouts and exceptions other than assertions are "broken": the product was not shown to be wrong.
        var status = failed.Cause == FailureCause.Assertion ? Status.Failed : Status.Broken;
        var details = new StatusDetails
        {
            Message = string.Join("\n", failed.Messages),
            Trace = string.Join("\n", failed.StackTraces.Where(s => !string.IsNullOrEmpty(s))),
        };
        Finish(failed, status, details);
        if (TestContext.Current.Test is null && _running.TryGetValue(failed.TestUniqueID, out var running)
            && failed.ExceptionTypes.FirstOrDefault() == typeof(TestPipelineException).FullName)
            RecordFixtureConstructionFailure(failed, running);
    }

    /// <summary>
    /// A class/collection/assembly fixture that threw while being built fails every test that needs it before
    /// any test object exists. Show that as a broken set-up in the fixture's container (unless the fixture code
    /// already recorded its own failed set-up), so the report points at the fixture, not at each test.
    /// </summary>
    private void RecordFixtureConstructionFailure(ITestFailed failed, RunningTest running)
    {
        var message = failed.Messages.FirstOrDefault() ?? "";
        if (!_testCases.TryGetValue(failed.TestCaseUniqueID, out var testCase)) return;
        var scope = message.StartsWith("Class fixture", StringComparison.Ordinal) ? testCase.TestClass.UniqueID
            : message.StartsWith("Collection fixture", StringComparison.Ordinal) ? testCase.TestCollection.UniqueID
            : message.StartsWith("Assembly fixture", StringComparison.Ordinal) ? testCase.TestCollection.TestAssembly.UniqueID
            : null;
        if (scope is null) return;
        var container = Container(scope, null);
        lock (container)
        {
            if (container.Model.Befores.Any(b => b.Status is Status.Broken or Status.Failed)) return;
            var unfinished = container.Model.Befores.LastOrDefault(b => b.Status is null or Status.Passed);
            var fixture = unfinished ?? new FixtureResult { Name = message, Start = running.Result.Start };
            if (unfinished is null) container.Model.Befores.Add(fixture);
            fixture.Status = Status.Broken;
            fixture.StatusDetails = running.Result.StatusDetails;
            fixture.Stage = Stage.Finished;
            if (fixture.Stop == 0) fixture.Stop = running.Result.Start;
        }
    }

    private void Finish(ITestResultMessage message, Status status, StatusDetails? details)
    {
        if (!_running.TryGetValue(message.TestUniqueID, out var running)) return;
        lock (running.Result)
        {
            running.Result.Status = status;
            running.Result.StatusDetails = details;
            running.Result.Stop = message.FinishTime.ToUnixTimeMilliseconds();
        }
    }

    private void OnTestFinished(ITestFinished finished)
    {
        if (!_running.TryRemove(finished.TestUniqueID, out var running)) return;
        var result = running.Result;
        lock (result)
        {
            if (!string.IsNullOrEmpty(finished.Output))
                result.Attachments.Add(Writer.WriteAttachment("Output", Encoding.UTF8.GetBytes(finished.Output), "text/plain", "txt"));
            if (finished.Attachments is { Count: > 0 } attachments)
                foreach (var (name, attachment) in attachments.OrderBy(a => a.Key, StringComparer.Ordinal))
                    result.Attachments.Add(attachment.AttachmentType == TestAttachmentType.String
                        ? Writer.WriteAttachment(name, Encoding.UTF8.GetBytes(attachment.AsString()), "text/plain", "txt")
                        : Writer.WriteAttachment(name, attachment.AsByteArray().ByteArray, attachment.AsByteArray().MediaType, null));
            if (finished.Warnings is { Length: > 0 } warnings)
                result.Attachments.Add(Writer.WriteAttachment("Warnings", Encoding.UTF8.GetBytes(string.Join("\n", warnings)), "text/plain", "txt"));
            result.Status ??= Status.Broken;
            if (result.Stop == 0) result.Stop = finished.FinishTime.ToUnixTimeMilliseconds();
            CloseAbandonedSteps(result.Steps, result.Stop);
            result.Stage = Stage.Finished;
            result.HistoryId = Ids.AllureIds.HistoryId(result.FullName ?? result.Name ?? result.Uuid, result.Parameters);
            Writer.WriteResult(result);
        }
        if (running.OwnContainer is { } own) Write(own);
    }

    /// <summary>A step still open when its test ended (not disposed, or abandoned by a timeout) is marked broken.</summary>
    private static void CloseAbandonedSteps(List<StepResult> steps, long stop)
    {
        foreach (var step in steps)
        {
            CloseAbandonedSteps(step.Steps, stop);
            if (step.Status is not null) continue;
            step.Status = Status.Broken;
            step.StatusDetails ??= new StatusDetails { Message = "Step did not finish before the test ended" };
            step.Stage = Stage.Interrupted;
            step.Stop = stop;
        }
    }

    private void AddCleanupFailure(string scope, IErrorMetadata error)
    {
        var container = Container(scope, null);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (container)
            container.Model.Afters.Add(new FixtureResult
            {
                Name = "Clean-up: " + (error.Messages.FirstOrDefault() ?? "failure"),
                Status = Status.Broken,
                StatusDetails = new StatusDetails { Message = string.Join("\n", error.Messages), Trace = string.Join("\n", error.StackTraces) },
                Stage = Stage.Finished,
                Start = now,
                Stop = now,
            });
    }

    private void WriteContainer(string scope)
    {
        if (_containers.TryRemove(scope, out var container)) Write(container);
    }

    private void Write(ContainerState container)
    {
        lock (container)
        {
            var model = container.Model;
            if (model.Children.Count == 0 || model.Befores.Count + model.Afters.Count == 0) return;
            var all = model.Befores.Concat(model.Afters).ToList();
            // Fixture steps are changed under their fixture's lock (AllureApi); hold them all while serialising.
            // Order container → fixtures; the runtime never takes a container lock while holding a fixture's.
            foreach (var fixture in all) Monitor.Enter(fixture);
            try
            {
                foreach (var fixture in all)
                {
                    fixture.Status ??= Status.Broken;
                    fixture.Stage = Stage.Finished;
                    CloseAbandonedSteps(fixture.Steps, fixture.Stop);
                }
                model.Start = all.Min(f => f.Start);
                model.Stop = all.Max(f => f.Stop);
                Writer.WriteContainer(model);
            }
            finally
            {
                foreach (var fixture in all) Monitor.Exit(fixture);
            }
        }
    }

    private ContainerState Container(string scope, string? name) =>
        _containers.GetOrAdd(scope, key => NewContainer(key, name, []));

    private static ContainerState NewContainer(string scope, string? name, List<string> children) =>
        new(new TestResultContainer { Uuid = Ids.AllureIds.NewUuid(), Name = name ?? scope, Children = children });

    private static IEnumerable<KeyValuePair<string, string>> EnvironmentEntries(Assembly assembly, Devices.RunDevice? device)
    {
        yield return new("test.assembly", assembly.GetName().Name ?? "");
        yield return new("os", RuntimeInformation.OSDescription);
        yield return new("dotnet", RuntimeInformation.FrameworkDescription);
        yield return new("host", Environment.MachineName);
        yield return new("xunit", typeof(XunitTestFramework).Assembly.GetName().Version?.ToString() ?? "");
        var given = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => (Key: e.Key.ToString() ?? "", Value: e.Value?.ToString() ?? ""))
            .Where(e => e.Key.StartsWith(AllureSettings.EnvironmentPrefix, StringComparison.Ordinal))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (Key: e.Key[AllureSettings.EnvironmentPrefix.Length..], e.Value))
            .ToList();
        // The device, unless the test assembly describes it itself (the suites add where the name came from).
        if (device is not null && !given.Any(e => e.Key == Devices.RunDevice.LabelName)) yield return new(Devices.RunDevice.LabelName, device.Name);
        foreach (var (key, value) in given) yield return new(key, value);
    }

    /// <summary>GitHub Actions sets these; anywhere else the executor is "local".</summary>
    private static ExecutorInfo ExecutorFromCi()
    {
        var server = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var repo = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
        var runId = Environment.GetEnvironmentVariable("GITHUB_RUN_ID");
        if (server is null || repo is null || runId is null)
            return new ExecutorInfo { Name = "local", Type = "local", BuildName = Environment.MachineName };
        var runNumber = Environment.GetEnvironmentVariable("GITHUB_RUN_NUMBER");
        return new ExecutorInfo
        {
            Name = "GitHub Actions",
            Type = "github",
            Url = server,
            BuildOrder = long.TryParse(runNumber, out var order) ? order : null,
            BuildName = $"{Environment.GetEnvironmentVariable("GITHUB_WORKFLOW")} #{runNumber}",
            BuildUrl = $"{server}/{repo}/actions/runs/{runId}",
        };
    }

    private sealed class RunningTest(TestResult result)
    {
        public TestResult Result { get; } = result;
        public ContainerState? OwnContainer { get; set; }
    }

    private sealed class ContainerState(TestResultContainer model)
    {
        public TestResultContainer Model { get; } = model;
        public bool AnyTestStarted { get; set; }
    }
}
