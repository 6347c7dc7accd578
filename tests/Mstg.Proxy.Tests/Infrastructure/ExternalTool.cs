using System.Diagnostics;

namespace Mstg.Proxy.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs a real client (curl, openssl) with a hard timeout so a wedged handshake fails the test instead of hanging it.</summary>
public static class ExternalTool
{
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 30)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // Clients must see Debian's default OpenSSL policy, never a relaxed one inherited from the test host.
        start.Environment.Remove("OPENSSL_CONF");
        using var p = Process.Start(start)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish"); }
        return new ToolResult(p.ExitCode, await outTask, await errTask);
    }
}
