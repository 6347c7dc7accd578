namespace Mstg.Allure.Settings;

/// <summary>
/// Where and how a test run writes Allure results. Read from environment variables because that is the one
/// channel that reaches the test process under every runner: xUnit v3 does not pass VSTest's TestRunParameters
/// on to the test assembly (TestContext has no run-settings access), but a .runsettings file can still set them
/// through <c>RunConfiguration/EnvironmentVariables</c>, and <c>dotnet test -e NAME=value</c> sets them too.
/// </summary>
public sealed record AllureSettings
{
    public const string ResultsVariable = "MSTG_ALLURE_RESULTS";
    public const string CleanVariable = "MSTG_ALLURE_CLEAN";
    public const string KeepHistoryVariable = "MSTG_ALLURE_KEEP_HISTORY";
    public const string PreviousReportVariable = "MSTG_ALLURE_REPORT";
    public const string DisabledVariable = "MSTG_ALLURE_DISABLED";
    /// <summary>Every variable starting with this prefix becomes an environment.properties entry (prefix removed).</summary>
    public const string EnvironmentPrefix = "MSTG_ALLURE_ENV_";
    /// <summary>The device the run tested; every result names it (<see cref="Devices.RunDevice"/>).</summary>
    public const string DeviceVariable = "MSTG_ALLURE_DEVICE";
    /// <summary><c>false</c>: the device only describes the run (label, excluded parameter); ids and suites stay as without one.</summary>
    public const string DeviceInHistoryVariable = "MSTG_ALLURE_DEVICE_IN_HISTORY";

    public required string ResultsDirectory { get; init; }
    /// <summary>Delete the previous run's results first (default). Turn off when several test assemblies share one folder.</summary>
    public bool Clean { get; init; } = true;
    /// <summary>Previous report folder whose history/ is copied into the results, or null.</summary>
    public string? PreviousReport { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>The run's device, or null: then results carry no device and their ids are those of a run without one.</summary>
    public Devices.RunDevice? Device { get; init; }

    /// <param name="baseDirectory">The test assembly's output folder; relative paths and the default are resolved against it.</param>
    public static AllureSettings FromEnvironment(string baseDirectory, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var results = getVariable(ResultsVariable);
        var resultsDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(results) ? "allure-results" : results, baseDirectory);
        var keepHistory = IsTrue(getVariable(KeepHistoryVariable));
        string? previous = null;
        if (keepHistory)
        {
            var configured = getVariable(PreviousReportVariable);
            previous = string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(Path.GetDirectoryName(resultsDirectory.TrimEnd(Path.DirectorySeparatorChar)) ?? baseDirectory, "allure-report")
                : Path.GetFullPath(configured, baseDirectory);
        }
        return new AllureSettings
        {
            ResultsDirectory = resultsDirectory,
            Clean = !IsFalse(getVariable(CleanVariable)),
            PreviousReport = previous,
            Enabled = !IsTrue(getVariable(DisabledVariable)),
            Device = getVariable(DeviceVariable) is { } device && !string.IsNullOrWhiteSpace(device)
                ? new Devices.RunDevice(device.Trim(), !IsFalse(getVariable(DeviceInHistoryVariable)))
                : null,
        };
    }

    private static bool IsTrue(string? v) => v is not null && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1");
    private static bool IsFalse(string? v) => v is not null && (v.Equals("false", StringComparison.OrdinalIgnoreCase) || v == "0");
}
