using Mstg.Cli;

namespace Mstg.Cli.Tests;

/// <summary>Runs the real <c>mstg</c> entry point in-process with captured output.</summary>
internal static class CliRunner
{
    public static Task<(int Exit, string Out, string Err)> Run(params string[] args) => RunAt(null, args);

    /// <summary>Runs with <paramref name="clock"/> as the time expiry checks and waivers read (null: the system clock).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAt(TimeProvider? clock, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Program.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken, clock: clock);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static string TempFile(string name, string content)
    {
        var dir = Directory.CreateTempSubdirectory("mstg-cli-").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
