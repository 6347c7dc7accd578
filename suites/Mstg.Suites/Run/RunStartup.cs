using Mstg.Allure.Settings;
using Mstg.Suites.Configuration;
using Xunit.Sdk;
using Xunit.v3;

namespace Mstg.Suites.Run;

/// <summary>
/// Opens and closes the run: identifies the configured apps once, prints the start-of-run line (apps by bundle id,
/// profile, filter, where each setting came from), puts the app's identity into the Allure environment, and at the end
/// prints the warnings of passing tests and the run's outcome, and writes <c>mstg-run.json</c>.
/// Lines go to the diagnostic sink, which dotnet test and the suite executable both show (xunit.runner.json turns
/// diagnostic messages on for this assembly).
/// </summary>
public sealed class RunStartup : ITestPipelineStartup
{
    /// <summary>Where the run summary goes; default <c>mstg-run.json</c> in the Allure results folder.</summary>
    public const string SummaryVariable = "MSTG_RUN_SUMMARY";

    private IMessageSink? _sink;

    public ValueTask StartAsync(IMessageSink diagnosticMessageSink)
    {
        _sink = diagnosticMessageSink;
        Say(RunDescription.Line(Filter(Environment.GetCommandLineArgs())));
        if (RunDescription.Problem is { } problem) Say($"MSTG configuration problem: {problem}");
        foreach (var (key, value) in RunDescription.EnvironmentEntries())
            Environment.SetEnvironmentVariable(AllureSettings.EnvironmentPrefix + key, value);
        return ValueTask.CompletedTask;
    }

    public ValueTask StopAsync()
    {
        // Discovery runs the pipeline too; only a run that executed tests has an outcome to tell.
        if (!Executed) return ValueTask.CompletedTask;
        foreach (var line in RunLog.ClosingLines()) Say(line);
        var path = SummaryPath();
        try
        {
            RunLog.WriteSummary(path);
            Say($"MSTG summary: {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Say($"MSTG summary could not be written to {path}: {e.Message}");
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Set by the first test that ran.</summary>
    internal static bool Executed { get; set; }

    internal static string SummaryPath() =>
        SuiteSettings.Read(SummaryVariable).Value is { } configured
            ? Path.GetFullPath(configured, AppContext.BaseDirectory)
            : Path.Combine(AllureSettings.FromEnvironment(AppContext.BaseDirectory).ResultsDirectory, "mstg-run.json");

    /// <summary>The test selection given on the suite executable's command line (dotnet test passes none to the test process).</summary>
    internal static string? Filter(IReadOnlyList<string> args)
    {
        string[] selectors = ["-filter", "-class", "-method", "-namespace", "-trait", "-class-", "-method-", "-namespace-", "-trait-"];
        var parts = new List<string>();
        for (var i = 0; i < args.Count - 1; i++)
            if (selectors.Contains(args[i], StringComparer.OrdinalIgnoreCase)) parts.Add($"{args[i]} {args[i + 1]}");
        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    private void Say(string line) => _sink?.OnMessage(new DiagnosticMessage(line));
}
