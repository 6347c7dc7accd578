using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mstg.Proxy.Cli;

/// <summary>
/// Sends SIGTERM to a child process. .NET can only kill (SIGKILL) another process, which gives the child no chance
/// to write its HAR; kill(2) with SIGTERM lets it stop the same way it stops on Ctrl-C.
/// </summary>
internal static class ChildSignal
{
    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>True when the signal was delivered; false on a platform without kill(2) or when the process is gone.</summary>
    public static bool Terminate(Process process)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) || process.HasExited) return false;
        try { return Kill(process.Id, SigTerm) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }
}
