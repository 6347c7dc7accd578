using System.ComponentModel;
using System.Diagnostics;

namespace Mstg.Devices;

/// <summary>Runs a helper tool (certutil, xcrun) with an argument list, no shell; a missing tool or a failure is an environment error carrying its stderr.</summary>
internal static class ExternalTool
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, CancellationToken ct, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start) ?? throw new InvalidOperationException("no process"); }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new DeviceEnvironmentException(file, $"could not be started ({e.Message}); is it installed?", inner: e);
        }
        using var _ = process;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).WaitAsync(timeout ?? TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new DeviceEnvironmentException(file, $"did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
            throw new DeviceEnvironmentException(file, $"{string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        return await stdout.ConfigureAwait(false);
    }
}
