using Mstg.Fixtures.Processes;

namespace Mstg.Plist.Tests.Differential;

/// <summary>Runs Debian's <c>plistutil</c> (libplist-utils 2.2: <c>-i in -o out -f bin|xml</c>) as an independent converter.</summary>
internal static class Plistutil
{
    /// <summary>Whether plistutil converted the input; when not, its exit code and what it printed.</summary>
    public sealed record Result(bool Ok, string Reason);

    public static Result Convert(string input, string output, string format)
    {
        ProcessResult run;
        try
        {
            run = ExternalProcess.Run("plistutil", ["-i", input, "-o", output, "-f", format], new() { Timeout = TimeSpan.FromSeconds(60) });
        }
        catch (ExternalProcessException e) when (e.Failure == ProcessFailure.TimedOut)
        {
            // A differential test compares verdicts: plistutil hanging on an input counts as plistutil not accepting it.
            return new Result(false, e.Message);
        }
        var ok = run.Succeeded && File.Exists(output) && new FileInfo(output).Length > 0;
        return new Result(ok, ok ? "" : $"exit {run.ExitCode}: {(run.StandardError + run.StandardOutput).Trim()}");
    }
}
