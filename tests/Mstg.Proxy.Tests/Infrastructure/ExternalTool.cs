using Mstg.Fixtures.Processes;

namespace Mstg.Proxy.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs a real client (curl, openssl) through the repository's process runner, with a hard timeout so a wedged
/// handshake fails the test instead of hanging it. A client's failure is often the expected outcome here, so the
/// exit code is returned, not asserted.
/// </summary>
public static class ExternalTool
{
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 30)
    {
        var result = await ExternalProcess.RunAsync(file, args, new ProcessOptions
        {
            StandardInput = stdin,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            // Clients must see Debian's default OpenSSL policy, never a relaxed one inherited from the test host.
            Environment = new Dictionary<string, string?> { ["OPENSSL_CONF"] = null },
        });
        return new ToolResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
