using Mstg.Fixtures.Processes;

namespace Mstg.Cli.Tests;

/// <summary>Runs the built <c>mstg</c> as a real process (what a shell and its completion script see).</summary>
internal static class MstgProcess
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args) =>
        await RunFile("dotnet", [Path.Combine(AppContext.BaseDirectory, "mstg.dll"), .. args]);

    /// <summary>The exit code is what the callers check (0, 1, 2 …), so it is returned, not asserted here.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunFile(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var run = await ExternalProcess.RunAsync(file, args, new ProcessOptions
        {
            WorkingDirectory = workingDirectory,
            Timeout = TimeSpan.FromMinutes(5),
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        }, TestContext.Current.CancellationToken);
        return (run.ExitCode, run.StandardOutput, run.StandardError);
    }

    /// <summary>The repository root (the folder holding MstgTests.sln), for docs/ files the tests check.</summary>
    public static string RepoRoot => Mstg.Fixtures.RepositoryLayout.Root;
}
