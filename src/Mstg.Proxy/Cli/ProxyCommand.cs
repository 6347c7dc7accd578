using Mstg.Tls;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Hosting;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Cli;

/// <summary>
/// `mstg proxy --listen 127.0.0.1:8080 --condition trusted-ca --scope '*.example.com' --events e.jsonl --har flows.har`.
/// Runs until cancelled. With `--control stdio` it speaks the line protocol of an out-of-process proxy
/// (<see cref="ControlChannel"/>): JSON events on stdout, "condition NAME" / "har PATH" / "quit" on stdin.
/// </summary>
public static class ProxyCommand
{
    /// <summary>Proxy credentials as user:password, read when --auth is not given (keeps the password out of ps).</summary>
    public const string AuthVariable = "MSTG_PROXY_AUTH";

    /// <summary>
    /// Runs the proxy <paramref name="command"/> asks for until <paramref name="ct"/> is cancelled (Ctrl-C, SIGTERM):
    /// <c>mstg proxy</c> calls this with the options System.CommandLine parsed, and the relaxed-OpenSSL child calls it
    /// again with the same options read from its options file (<see cref="ProxyCommandChild"/>).
    /// </summary>
    public static async Task<int> RunAsync(ProxyCommandOptions command, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ProxyOptions options;
        try { options = command.ToProxyOptions(); }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync($"mstg proxy: {e.Message}");
            return ExitCodes.Usage;
        }

        if ((command.LegacyTls || options.Condition.NeedsLegacyOpenSsl()) && !LegacyOpenSsl.IsActive)
            return await ReExecWithLegacyOpenSslAsync(command, stdout, stderr, ct);

        var stdioControl = command.Control == "stdio";
        try
        {
            var server = new ProxyServer(options);
            await using (server.ConfigureAwait(false))
            {
                if (command.WriteCaKey is { } keyOut) server.Ca.ExportPrivateKeyPem(keyOut);
                server.Start();
                if (stdioControl)
                {
                    await ControlChannel.ServeAsync(server, optionsDigest: null, Console.In, stdout, ct);
                }
                else
                {
                    await stdout.WriteLineAsync($"mstg proxy listening on {server.Endpoint}, condition {server.Condition.ToName()}, " +
                        $"scope {(options.Scope.Count == 0 ? "all hosts" : string.Join(",", options.Scope))}");
                    await stdout.WriteLineAsync($"run CA: {server.Ca.Certificate.Subject} ({server.Ca.Certificate.Thumbprint}); " +
                        $"install from http://{options.WellKnownHost}/ca.mobileconfig through the proxy");
                    await stdout.FlushAsync(ct);
                    // One line per connection and request unless --quiet; the event log and HAR keep the detail.
                    using var printer = command.Quiet ? null : server.Events.Subscribe(new ConnectionLinePrinter(stdout));
                    try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
                }
            }
            return ExitCodes.Ok;
        }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync($"mstg proxy: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await stderr.WriteLineAsync($"mstg proxy: cannot listen on {options.Listen}: {e.Message}");
            return ExitCodes.RuleFailed;
        }
    }

    /// <summary>OpenSSL reads OPENSSL_CONF once at start, so a relaxed proxy has to be a fresh process.</summary>
    private static async Task<int> ReExecWithLegacyOpenSslAsync(ProxyCommandOptions command, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var privateDir = ProxyChildProcess.CreatePrivateDirectory();
        try { return await RunChildAsync(command, privateDir, stdout, stderr, ct); }
        finally { Directory.Delete(privateDir, recursive: true); }
    }

    private static async Task<int> RunChildAsync(ProxyCommandOptions command, string privateDir, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        // The whole request goes in one private options file, --auth included: never on the child's command line,
        // where every local user could read the password in ps (see ProxyCommandChild). Without --auth the child
        // inherits MSTG_PROXY_AUTH from this process's environment.
        var optionsPath = ProxyCommandChild.Write(command, privateDir);
        var start = ProxyChildProcess.CreateStartInfo([ProxyCommandChild.Verb, optionsPath], privateDir);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the legacy-TLS proxy process");
        var pumpOut = PumpAsync(process.StandardOutput, stdout);
        var pumpErr = PumpAsync(process.StandardError, stderr);
        if (command.Control is not null) _ = Task.Run(async () =>
        {
            string? line;
            while ((line = await Console.In.ReadLineAsync(ct)) is not null) await process.StandardInput.WriteLineAsync(line);
            process.StandardInput.Close();
        }, ct);
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { await StopChildAsync(process, stderr); }
        await Task.WhenAll(pumpOut, pumpErr);
        return process.ExitCode;
    }

    /// <summary>
    /// Time the child gets to stop on its own: up to 10 s for open connections to finish, then the HAR and event
    /// log are written. Only a child that is still running after this is killed.
    /// </summary>
    internal static readonly TimeSpan ChildStopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stops the relaxed child the way this process was stopped: SIGTERM, which the child handles like Ctrl-C
    /// (drain, write HAR and events, exit 0). Killing it outright would lose the HAR and turn the exit code into 137.
    /// </summary>
    private static async Task StopChildAsync(Process process, TextWriter stderr)
    {
        if (!ChildSignal.Terminate(process))
        {
            process.Kill();
        }
        else
        {
            try { await process.WaitForExitAsync().WaitAsync(ChildStopTimeout); }
            catch (TimeoutException)
            {
                await stderr.WriteLineAsync($"mstg proxy: the relaxed-OpenSSL proxy process did not stop within {ChildStopTimeout.TotalSeconds:0} s; killed it");
                process.Kill(entireProcessTree: true);
            }
        }
        await process.WaitForExitAsync(CancellationToken.None);
    }

    private static async Task PumpAsync(TextReader from, TextWriter to)
    {
        string? line;
        while ((line = await from.ReadLineAsync()) is not null) { await to.WriteLineAsync(line); await to.FlushAsync(); }
    }
}
