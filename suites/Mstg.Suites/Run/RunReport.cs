using Mstg.Allure.Settings;
using Mstg.Suites.Configuration;

namespace Mstg.Suites.Run;

/// <summary>
/// The assembly fixture that opens and closes a run on the console: the start-of-run line (apps by bundle id, profile,
/// level, filter, where each setting came from) before any test, and after the last one the warnings of passing tests,
/// the run's outcome and the path of <c>mstg-run.json</c>. Lines are diagnostic messages, which dotnet test and the
/// suite executable both print (xunit.runner.json turns them on for this assembly).
/// </summary>
public sealed class RunReport : IAsyncLifetime
{
    /// <summary>Where the run summary goes; default <c>mstg-run.json</c> in the Allure results folder.</summary>
    public const string SummaryVariable = "MSTG_RUN_SUMMARY";

    public ValueTask InitializeAsync()
    {
        Say(RunDescription.Line(RunFilter.Find()));
        if (RunDescription.Problem is { } problem) Say($"MSTG configuration problem: {problem}");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var line in Waivers.SuiteWaivers.ClosingLines()) Say(line);
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

    internal static string SummaryPath() =>
        SuiteSettings.Read(SummaryVariable).Value is { } configured
            ? Path.GetFullPath(configured, AppContext.BaseDirectory)
            : Path.Combine(AllureSettings.FromEnvironment(AppContext.BaseDirectory).ResultsDirectory, "mstg-run.json");

    private static void Say(string line) => TestContext.Current.SendDiagnosticMessage(line);
}
