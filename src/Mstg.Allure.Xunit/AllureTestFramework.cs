using System.Reflection;
using Mstg.Allure.Runtime;
using Mstg.Allure.Settings;
using Xunit.Sdk;
using Xunit.v3;

namespace Mstg.Allure.Xunit;

/// <summary>
/// Opt-in for a test assembly: <c>[assembly: Xunit.TestFramework(typeof(Mstg.Allure.Xunit.AllureTestFramework))]</c>.
/// </summary>
/// <remarks>
/// Why a test framework wrapper and not one of the lighter extension points:
/// <list type="bullet">
/// <item>A BeforeAfterTestAttribute never runs for skipped tests, for tests whose class fixture failed to build,
/// or after a timeout has abandoned the test, so those would have no result file.</item>
/// <item>An ITestPipelineStartup only sees the start and the end of the run, not the tests.</item>
/// <item>Runner-side reporters (IRunnerReporter) live in the runner process: under VSTest that is the adapter,
/// not the test process, so the runtime API (steps, attachments) could not reach them.</item>
/// </list>
/// The executor's message sink, in contrast, receives every execution message of the assembly in the test
/// process — starting, passed, failed (with the failure cause: assertion, exception, timeout), skipped, not run,
/// output, fixture clean-up failures — whatever the runner (VSTest, Microsoft.Testing.Platform, xunit console).
/// We additionally switch the message bus to synchronous delivery so that each message is handled on the
/// test's own async flow: then <see cref="global::Xunit.TestContext.Current"/> is the sending test and we can read
/// its theory arguments (which no message carries) and attribute runtime steps to it.
/// </remarks>
public sealed class AllureTestFramework : XunitTestFramework
{
    public AllureTestFramework() { }

    public AllureTestFramework(string? configFileName) : base(configFileName) { }

    protected override ITestFrameworkExecutor CreateExecutor(Assembly assembly) =>
        new AllureTestFrameworkExecutor(new XunitTestAssembly(assembly, null, null, null, null, null, assembly.GetName().Version));
}

/// <summary>Runs the tests as xUnit does, with the Allure recorder listening to every message.</summary>
public sealed class AllureTestFrameworkExecutor(IXunitTestAssembly testAssembly) : XunitTestFrameworkExecutor(testAssembly)
{
    public override async ValueTask RunTestCases(
        IReadOnlyCollection<IXunitTestCase> testCases,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions,
        CancellationToken cancellationToken)
    {
        var settings = AllureSettings.FromEnvironment(AppContext.BaseDirectory);
        if (!settings.Enabled)
        {
            await base.RunTestCases(testCases, executionMessageSink, executionOptions, cancellationToken);
            return;
        }
        var recorder = AllureRecorder.ForRun(settings, TestAssembly.Assembly, testCases);
        AllureLifecycle.Host = recorder;
        executionOptions.SetValue("xunit.execution.SynchronousMessageReporting", true);
        await base.RunTestCases(testCases, new AllureMessageSink(executionMessageSink, recorder), executionOptions, cancellationToken);
    }
}

/// <summary>Hands every message to the recorder first, then passes it on unchanged.</summary>
internal sealed class AllureMessageSink(IMessageSink inner, AllureRecorder recorder) : IMessageSink
{
    public bool OnMessage(IMessageSinkMessage message)
    {
        try
        {
            recorder.OnMessage(message);
        }
        catch (Exception e)
        {
            // Reporting must never change test outcomes or break the runner's message bus (a full disk, a locked
            // folder, a recorder bug): say so in the run's diagnostics and carry on.
            inner.OnMessage(new DiagnosticMessage($"[Allure] could not record {message.GetType().Name}: {e.GetType().Name}: {e.Message}"));
        }
        return inner.OnMessage(message);
    }
}
