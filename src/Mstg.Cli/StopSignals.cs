using System.Runtime.InteropServices;

namespace Mstg.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (kill, CI time-outs, container stop) cancel <see cref="Token"/> instead of killing the
/// process, so commands end cleanly: the proxy still writes its HAR, a scan stops without writing a report. The exit
/// code then follows the shell convention, 128 + signal number: 130 for SIGINT, 143 for SIGTERM.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _received;

    public StopSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The first stop signal received, or null.</summary>
    public PosixSignal? Received => _received;

    /// <summary>Shell-style exit code for the signal received (130 or 143); <see cref="ExitCodes.Interrupted"/> when none was.</summary>
    public int ExitCode => _received == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // no default termination: the command unwinds through the token
        _received ??= context.Signal;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
