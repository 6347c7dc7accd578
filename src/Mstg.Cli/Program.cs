namespace Mstg.Cli;

/// <summary>Entry point of <c>mstg</c>: routes the first word to a command. Exit codes: 0 ok, 1 a rule failed, 2 bad input or usage.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        // SIGTERM (kill, CI time-outs, container stop) must end as cleanly as Ctrl-C, so the proxy still writes its HAR.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; cancel.Cancel(); });
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
    }

    /// <summary>The whole CLI behind a testable seam: tests call this with string writers.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
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
                "scan" => ScanCommand.Run(args[1..], stdout, stderr),
                "version" or "--version" => Version(stdout),
                _ => await ExternalCommands.RunAsync(args, stdout, stderr, ct) ?? Unknown(args[0], stderr),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"mstg: {e.Message}");
            stderr.WriteLine("Run 'mstg --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (MstgInputException e)
        {
            stderr.WriteLine($"mstg: bad input: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Output files and folders the user named (--output, --events, --har …) that cannot be written.
            stderr.WriteLine($"mstg: {e.Message}");
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
}

/// <summary>Wrong words on the command line.</summary>
public sealed class UsageException(string message) : Exception(message);
