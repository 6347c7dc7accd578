using Mstg.Cli;

namespace Mstg.Cli.Tests;

/// <summary>Runs the real <c>mstg</c> entry point in-process with captured output.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Program.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
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
