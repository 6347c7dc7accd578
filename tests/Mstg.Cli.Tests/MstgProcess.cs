using System.Diagnostics;

namespace Mstg.Cli.Tests;

/// <summary>Runs the built <c>mstg</c> as a real process (what a shell and its completion script see).</summary>
internal static class MstgProcess
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args) =>
        await RunFile("dotnet", [Path.Combine(AppContext.BaseDirectory, "mstg.dll"), .. args]);

    public static async Task<(int Exit, string Out, string Err)> RunFile(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository root (the folder holding MstgTests.sln), for docs/ files the tests check.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MstgTests.sln"))) return dir.FullName;
            throw new InvalidOperationException("MstgTests.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
