using System.Net;
using System.Net.Sockets;
using Mstg.Fixtures.Tls;
using Mstg.ServerTls.Probing;
using Mstg.Tls.Raw;

namespace Mstg.ServerTls.Tests;

/// <summary>
/// Servers that misbehave on purpose (a TcpListener in the test): each must end in bounded time and memory with a
/// clear status, never an exception or a hang, and never a pass.
/// </summary>
public sealed class HostileServerTests
{
    private static readonly ProbeOptions Quick = new()
    {
        Flight = new FlightLimits { Timeout = TimeSpan.FromSeconds(2), MaxBytes = 64 * 1024 },
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Retries = 0,
    };

    /// <summary>Accepts connections until disposed and hands each to <paramref name="serve"/>.</summary>
    private sealed class Hostile : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        public int Connections;

        public Hostile(Func<NetworkStream, CancellationToken, Task> serve)
        {
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                    catch (OperationCanceledException) { return; }
                    Interlocked.Increment(ref Connections);
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            try { await serve(client.GetStream(), _stop.Token); }
                            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
                        }
                    });
                }
            });
        }

        public Endpoint Endpoint => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port, "localhost");

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _loop;
        }
    }

    private static async Task<byte[]> ReadHelloAsync(NetworkStream s, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var n = await s.ReadAsync(buffer, ct);
        return buffer[..n];
    }

    private static async Task<EndpointReport> ProbeAsync(Hostile server) =>
        await new EndpointProber(Quick).ProbeAsync(server.Endpoint, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Garbage_answer_is_not_tls()
    {
        await using var server = new Hostile(async (s, ct) =>
        {
            await ReadHelloAsync(s, ct);
            await s.WriteAsync("SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray(), ct);
        });
        var report = await ProbeAsync(server);
        report.Status.Should().Be(ProbeStatus.NotTls);
        report.Problem.Should().Contain("SSH-2");
        ServerFindings.For(report).Should().ContainSingle().Which.Verdict.Should().Be(Verdict.Skipped);
    }

    [Fact]
    public async Task Truncated_record_is_broken()
    {
        await using var server = new Hostile(async (s, ct) =>
        {
            await ReadHelloAsync(s, ct);
            // A handshake record header announcing 64 bytes, then 10 bytes and a close.
            await s.WriteAsync(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x40, 2, 0, 0, 0x3c, 3, 3, 0, 0, 0, 0 }, ct);
        });
        var report = await ProbeAsync(server);
        report.Status.Should().Be(ProbeStatus.Broken);
        report.Problem.Should().Contain("truncated record");
    }

    [Fact]
    public async Task Huge_certificate_chain_stops_at_the_byte_limit()
    {
        await using var server = new Hostile(async (s, ct) =>
        {
            await ReadHelloAsync(s, ct);
            // A valid TLS 1.2 ServerHello, then a Certificate message that claims 16 MB and keeps coming.
            byte[] hello = [2, 0, 0, 38, 3, 3, .. new byte[32], 0, 0xc0, 0x2f, 0];
            await s.WriteAsync((byte[])[0x16, 3, 3, 0, (byte)hello.Length, .. hello], ct);
            var record = new byte[5 + 16000];
            record[0] = 0x16; record[1] = 3; record[2] = 3; record[3] = 16000 >> 8; record[4] = 16000 & 0xff;
            record[5] = 11; record[6] = 0xff; // Certificate, length 0xff.... (16 MB)
            for (var i = 0; i < 1000; i++) { await s.WriteAsync(record, ct); record[5] = 0; record[6] = 0; }
        });
        var report = await ProbeAsync(server);
        report.Status.Should().Be(ProbeStatus.Broken);
        report.Problem.Should().Contain("TooLarge");
    }

    [Fact]
    public async Task Handshake_that_never_completes_times_out()
    {
        await using var server = new Hostile(async (s, ct) =>
        {
            await ReadHelloAsync(s, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var report = await ProbeAsync(server);
        report.Status.Should().Be(ProbeStatus.Broken);
        report.Problem.Should().Contain("TimedOut");
    }

    [Fact]
    public async Task Closed_without_a_word_means_no_tls_accepted()
    {
        await using var server = new Hostile(async (s, ct) => await ReadHelloAsync(s, ct));
        var report = await ProbeAsync(server);
        report.Status.Should().Be(ProbeStatus.NoTlsAccepted);
    }

    [Fact]
    public async Task Refused_connection_is_unreachable()
    {
        var port = LocalTlsServer.FreePort();
        var report = await new EndpointProber(Quick).ProbeAsync(new Endpoint("127.0.0.1", port), TestContext.Current.CancellationToken);
        report.Status.Should().Be(ProbeStatus.Unreachable);
        report.Problem.Should().Contain("refused");
        ServerFindings.For(report).Should().ContainSingle().Which.RuleId.Should().Be(RuleCatalog.ServerProbeFailed);
    }

    [Fact]
    public async Task Name_that_does_not_resolve_is_reported_so_with_a_fake_resolver()
    {
        // A fake resolver: tests never send a DNS query that could leave the machine.
        var options = Quick with { Resolve = (_, _) => throw new SocketException((int)SocketError.HostNotFound) };
        var report = await new EndpointProber(options).ProbeAsync(new Endpoint("api.mstg.invalid", 443), TestContext.Current.CancellationToken);
        report.Status.Should().Be(ProbeStatus.DoesNotResolve);
        report.Problem.Should().Contain("api.mstg.invalid");
    }
}

/// <summary>Transient resets: a relay in front of a real s_server resets every other connection; retries make the result whole.</summary>
public sealed class TransientResetTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    [Fact]
    public async Task Every_other_connection_reset_gives_the_same_result_as_a_direct_probe()
    {
        await using var server = await LocalTlsServer.OpenSslAsync(pki.Pki, new TestPki.LeafSpec(), false,
            [.. ServerConfigurationTests.Tls12And13, "-cipher", ServerConfigurationTests.Modern]);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var count = 0;
        var relay = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                System.Net.Sockets.TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); } catch (OperationCanceledException) { return; }
                var n = Interlocked.Increment(ref count);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            if (n % 2 == 1)
                            {
                                await client.GetStream().ReadAsync(new byte[16384], stop.Token);
                                client.Client.Close(0); // linger 0, no shutdown first: the peer sees a TCP RST, not a FIN
                                return;
                            }
                            using var upstream = new System.Net.Sockets.TcpClient();
                            await upstream.ConnectAsync(System.Net.IPAddress.Loopback, server.Port, stop.Token);
                            var a = client.GetStream().CopyToAsync(upstream.GetStream(), stop.Token);
                            var b = upstream.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                            await Task.WhenAny(a, b);
                        }
                        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException) { }
                    }
                });
            }
        });
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var options = new ProbeOptions { TrustAnchors = pki.Pki.Anchors, ConnectionsPerEndpoint = 1, Retries = 3 };
        var direct = await new Probing.EndpointProber(options).ProbeAsync(Endpoint.Parse(server.Target()), TestContext.Current.CancellationToken);
        var relayed = await new Probing.EndpointProber(options).ProbeAsync(new Endpoint("localhost", port), TestContext.Current.CancellationToken);
        stop.Cancel(); listener.Stop(); await relay;

        relayed.Status.Should().Be(ProbeStatus.Probed, relayed.Problem);
        relayed.Protocols.Select(p => (p.Name, p.Accepted, string.Join(",", p.Suites.Select(s => s.Name).Order())))
            .Should().Equal(direct.Protocols.Select(p => (p.Name, p.Accepted, string.Join(",", p.Suites.Select(s => s.Name).Order()))));
        ServerFindings.For(relayed).Should().BeEmpty();
    }
}
