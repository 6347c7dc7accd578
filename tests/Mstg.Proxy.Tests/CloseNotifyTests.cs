using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Intercepted connections end with a TLS close_notify. Strict clients treat a TCP close without it as a
/// truncation attack and exit 1 even after a complete response; with it they exit 0.
/// </summary>
public sealed class CloseNotifyTests
{
    private const string Request = "GET /close-notify HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Openssl_s_client_sees_a_clean_close_after_the_response()
    {
        await using var env = PipelineEnv.Start();
        var r = await ExternalTool.RunAsync("openssl",
            ["s_client", "-quiet", "-ign_eof", "-proxy", $"127.0.0.1:{env.Server.Endpoint.Port}", "-connect", "api.example.com:443",
             "-servername", "api.example.com", "-CAfile", env.TrustPem, "-verify_return_error"], stdin: Request);
        r.Stdout.Should().Contain("origin saw GET /close-notify", r.ToString());
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().NotContainAny(["unexpected eof", "truncat"]);
    }

    [Fact]
    public async Task Gnutls_cli_sees_a_clean_close_after_the_response()
    {
        await using var env = PipelineEnv.Start();
        // gnutls-cli cannot use an HTTP proxy: a local port forwards into a CONNECT tunnel instead.
        await using var tunnel = await ConnectTunnel.StartAsync(env.Server.Endpoint, "api.example.com:443");
        var start = new ProcessStartInfo("gnutls-cli")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--x509cafile", env.TrustPem, "--sni-hostname", "api.example.com", "--verify-hostname", "api.example.com",
                                  "-p", tunnel.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1" })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // stdin stays open: gnutls-cli must end because the server closed, not because its input did.
        await p.StandardInput.WriteAsync(Request);
        await p.StandardInput.FlushAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(guard.Token); }
        catch (OperationCanceledException) { p.Kill(true); }
        var evidence = $"exit {(p.HasExited ? p.ExitCode : -1)}\nstdout: {await stdout}\nstderr: {await stderr}";
        evidence.Should().Contain("origin saw GET /close-notify");
        p.ExitCode.Should().Be(0, evidence);
        evidence.Should().NotContainAny(["non-properly terminated", "truncat"]);
    }

    /// <summary>Accepts one local connection and joins it to a CONNECT tunnel through the proxy.</summary>
    private sealed class ConnectTunnel : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private Task _run = Task.CompletedTask;
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static Task<ConnectTunnel> StartAsync(IPEndPoint proxy, string authority)
        {
            var t = new ConnectTunnel();
            t._listener.Start();
            t._run = t.RunAsync(proxy, authority);
            return Task.FromResult(t);
        }

        private async Task RunAsync(IPEndPoint proxy, string authority)
        {
            using var client = await _listener.AcceptTcpClientAsync();
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(proxy);
            var up = upstream.GetStream();
            await up.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"));
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await up.ReadAsync(one) == 1) head.Append((char)one[0]);
            var down = client.GetStream();
            // Each direction passes its end on, so a close (with or without close_notify before it) reaches the client as it happened.
            var toProxy = Task.Run(async () => { await down.CopyToAsync(up); upstream.Client.Shutdown(SocketShutdown.Send); });
            var toClient = Task.Run(async () => { await up.CopyToAsync(down); client.Client.Shutdown(SocketShutdown.Send); });
            await Task.WhenAll(toProxy, toClient).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
