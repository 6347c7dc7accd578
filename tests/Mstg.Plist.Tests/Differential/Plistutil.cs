using System.Diagnostics;

namespace Mstg.Plist.Tests.Differential;

/// <summary>Runs Debian's <c>plistutil</c> (libplist-utils 2.2: <c>-i in -o out -f bin|xml</c>) as an independent converter.</summary>
internal static class Plistutil
{
    public sealed record Result(bool Ok, string Reason);

    public static Result Convert(string input, string output, string format)
    {
        var start = new ProcessStartInfo("plistutil")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-i", input, "-o", output, "-f", format }) start.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("plistutil did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("plistutil is not installed (Debian package libplist-utils)", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                return new Result(false, "plistutil timed out");
            }
            string reason = (stderr.Result + stdout.Result).Trim();
            bool ok = process.ExitCode == 0 && File.Exists(output) && new FileInfo(output).Length > 0;
            return new Result(ok, ok ? "" : $"exit {process.ExitCode}: {reason}");
        }
    }
}
