using System.CommandLine;
using Mstg.Analysis.Reporting;

namespace Mstg.Cli;

/// <summary>Entry point of <c>mstg</c>. Exit codes are <see cref="ExitCodes"/>: 0 ok, 1 a rule failed (or, with
/// <c>--strict</c>, the scan is incomplete), 2 bad input or usage, 130/143 stopped by SIGINT/SIGTERM.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = new StopSignals();
        return await RunAsync(args, Console.Out, Console.Error, signals.Token, signals);
    }

    /// <summary>The whole CLI behind a testable seam: tests call this with string writers.</summary>
    /// <param name="signals">Which signal cancelled <paramref name="ct"/>, for the exit code and message; null in tests that cancel directly.</param>
    /// <param name="clock">The clock expiry checks and waivers read; tests move one. Null: the system clock.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default, StopSignals? signals = null,
        TimeProvider? clock = null)
    {
        var root = MstgCommandLine.Create(clock);
        // `mstg help` and `mstg help scan` as in git: the help of the command named.
        if (args is ["help", .. var named]) args = [.. named, "--help"];
        var parsed = root.Parse(args);
        // The parser chooses what runs: help, a [suggest] completion, a verb, or (for bad words) its error action, which we replace.
        if (parsed.Action is System.CommandLine.Invocation.ParseErrorAction)
            return ParseErrors.Report(parsed, stderr);
        try
        {
            // StopSignals owns SIGINT/SIGTERM (ProcessTerminationTimeout = null), so the exit code says which one came.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout, Error = stderr, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false,
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Nothing half-done is written as if it were complete: a cancelled scan writes no report at all.
            var verb = parsed.CommandResult.Command.Name;
            stderr.WriteLine($"mstg: stopped by {signals?.Received?.ToString() ?? "cancellation"}{(verb == "scan" ? "; no report was written" : "")}");
            return signals?.ExitCode ?? ExitCodes.Interrupted;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"mstg: {TerminalText.Escape(e.Message)}");
            stderr.WriteLine($"Run 'mstg {parsed.CommandResult.Command.Name} --help' for usage.".Replace("mstg mstg ", "mstg "));
            return ExitCodes.Usage;
        }
        catch (MstgInputException e)
        {
            stderr.WriteLine($"mstg: bad input: {TerminalText.Escape(e.Message)}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Output files and folders the user named (--output, --events, --har …) that cannot be written.
            stderr.WriteLine($"mstg: {TerminalText.Escape(e.Message)}");
            return ExitCodes.Usage;
        }
    }
}

/// <summary>Wrong words on the command line that the parser itself cannot see (a value out of range, a missing file).</summary>
public sealed class UsageException(string message) : Exception(message);
