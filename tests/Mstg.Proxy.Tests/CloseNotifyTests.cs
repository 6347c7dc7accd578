using System.Security.Cryptography.X509Certificates;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Fixtures.Processes;
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
        // Started in the background so that stdin stays open after the request: gnutls-cli must end because the server
        // closed, not because its input did.
        using var gnutls = ExternalProcess.Start("gnutls-cli",
            ["--x509cafile", env.TrustPem, "--sni-hostname", "api.example.com", "--verify-hostname", "api.example.com",
             "-p", tunnel.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"],
            new ProcessOptions { StandardInput = Request });
        var run = await gnutls.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var evidence = $"exit {run.ExitCode}\nstdout: {run.StandardOutput}\nstderr: {run.StandardError}";
        evidence.Should().Contain("origin saw GET /close-notify");
        run.ExitCode.Should().Be(0, evidence);
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

/// <summary>
/// The origin side: a connection the proxy closes (here because the origin said Connection: close) ends with
/// close_notify too. The origin speaks TLS 1.2, where a record's type is visible on the wire, and records the raw
/// bytes it reads, so the last record from the proxy shows whether an alert (21) came before the FIN.
/// </summary>
public sealed class OriginCloseNotifyTests
{
    [Fact]
    public async Task The_proxy_sends_close_notify_before_closing_an_origin_connection()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var caKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var caReq = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=close-notify origin CA", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=tls12.example.com", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddDnsName("tls12.example.com");
        req.CertificateExtensions.Add(san.Build());
        using var signed = req.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [7, 7, 7]);
        using var leaf = signed.CopyWithPrivateKey(key);
        var caPublic = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(ca.RawData);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var origin = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(guard.Token);
            var raw = new RecordingStream(new NetworkStream(socket, ownsSocket: false));
            await using var ssl = new System.Net.Security.SslStream(raw);
            await ssl.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions
            {
                ServerCertificate = leaf, EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12,
            }, guard.Token);
            var reader = new Mstg.Proxy.Http.HttpMessageReader(ssl, "proxy", new Mstg.Proxy.Http.HttpLimits());
            await reader.ReadRequestHeadAsync(guard.Token);
            await ssl.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), guard.Token);
            try { while (await ssl.ReadAsync(new byte[256], guard.Token) > 0) { } } catch (IOException) { }
            return LastRecordType(raw.Captured);
        });

        await using var env = PipelineEnv.Start(o => o with
        {
            HostMap = new Dictionary<string, string>(o.HostMap) { ["tls12.example.com"] = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}" },
            UpstreamTrustedRoots = [caPublic],
        });
        var r = await env.CurlAsync("https://tls12.example.com/bye");
        r.Stdout.Should().Be("ok", r.ToString());
        (await origin).Should().Be(21, "the last record the proxy sent before its FIN is an alert (close_notify), not application data (23)");
        listener.Stop();
    }

    private static int LastRecordType(byte[] bytes)
    {
        int offset = 0, last = -1;
        while (offset + 5 <= bytes.Length)
        {
            last = bytes[offset];
            offset += 5 + ((bytes[offset + 3] << 8) | bytes[offset + 4]);
        }
        return last;
    }

    /// <summary>Keeps every byte read from the wire, below TLS.</summary>
    private sealed class RecordingStream(Stream inner) : Mstg.IO.DuplexPassThroughStream(inner)
    {
        private readonly MemoryStream _captured = new();
        public byte[] Captured { get { lock (_captured) return _captured.ToArray(); } }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var n = await Inner.ReadAsync(buffer, ct);
            lock (_captured) _captured.Write(buffer.Span[..n]);
            return n;
        }
    }
}
