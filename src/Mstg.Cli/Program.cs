using Mstg.Analysis.Reporting;

namespace Mstg.Cli;

/// <summary>Entry point of <c>mstg</c>: routes the first word to a command. Exit codes: 0 ok, 1 a rule failed (or, with
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
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default, StopSignals? signals = null)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.Write(Usage.Text);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        try
        {
            return args[0] switch
            {
                "scan" => ScanCommand.Run(args[1..], stdout, stderr, ct),
                "version" or "--version" => Version(stdout),
                _ => await ExternalCommands.RunAsync(args, stdout, stderr, ct) ?? Unknown(args[0], stderr),
            };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Nothing half-done is written as if it were complete: a cancelled scan writes no report at all.
            stderr.WriteLine($"mstg: stopped by {signals?.Received?.ToString() ?? "cancellation"}{(args[0] == "scan" ? "; no report was written" : "")}");
            return signals?.ExitCode ?? ExitCodes.Interrupted;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"mstg: {TerminalText.Escape(e.Message)}");
            stderr.WriteLine("Run 'mstg --help' for usage.");
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

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine($"mstg {Analysis.Reporting.ScanReports.ToolVersion}");
        return ExitCodes.Ok;
    }

    private static int Unknown(string command, TextWriter stderr)
    {
        stderr.WriteLine($"mstg: unknown command '{command}'. Run 'mstg --help' for usage.");
        return ExitCodes.Usage;
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int RuleFailed = 1;
    public const int Usage = 2;
    /// <summary>Stopped by SIGINT (128 + 2).</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM (128 + 15).</summary>
    public const int Terminated = 143;
}

/// <summary>Wrong words on the command line.</summary>
public sealed class UsageException(string message) : Exception(message);
