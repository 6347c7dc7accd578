using Mstg.Tls;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Http;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>Hostile and broken clients cost one connection and leave evidence; the proxy keeps serving.</summary>
public sealed class RobustnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static async Task<(TcpClient Tcp, NetworkStream Stream)> ConnectAsync(PipelineEnv env, string? connectTo = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(env.Server.Endpoint);
        var s = tcp.GetStream();
        if (connectTo is not null)
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {connectTo} HTTP/1.1\r\nHost: {connectTo}\r\n\r\n"));
            var buf = new byte[128];
            var n = await s.ReadAsync(buf);
            Encoding.ASCII.GetString(buf, 0, n).Should().StartWith("HTTP/1.1 200");
        }
        return (tcp, s);
    }

    private static async Task<string> ReadAllAsync(NetworkStream s)
    {
        var ms = new MemoryStream();
        try { await s.CopyToAsync(ms).WaitAsync(TimeSpan.FromSeconds(20)); } catch (IOException) { }
        return Encoding.ASCII.GetString(ms.ToArray());
    }

    private static async Task StillServesAsync(PipelineEnv env)
    {
        var r = await env.CurlAsync("https://api.example.com/alive");
        r.Stdout.Should().Contain("origin saw GET /alive", "the proxy must keep serving: " + r);
    }

    [Fact]
    public async Task Garbage_instead_of_a_proxy_request_gets_400_and_an_error_event()
    {
        await using var env = PipelineEnv.Start();
        var (tcp, s) = await ConnectAsync(env);
        using (tcp)
        {
            var garbage = new byte[600];
            new Random(7).NextBytes(garbage);
            garbage[^1] = (byte)'\n';
            await s.WriteAsync(garbage);
            (await ReadAllAsync(s)).Should().StartWith("HTTP/1.1 400");
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("malformed");
        await StillServesAsync(env);
    }

    [Fact]
    public async Task Garbage_tls_record_inside_connect_is_an_error_not_a_crash()
    {
        await using var env = PipelineEnv.Start();
        var (tcp, s) = await ConnectAsync(env, "api.example.com:443");
        using (tcp)
        {
            await s.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0, 0, 1, 0 }); // ServerHello type from a client
            await ReadAllAsync(s);
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("not ClientHello");
        await StillServesAsync(env);
    }

    [Theory]
    [InlineData("CONNECT nohost HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT api.example.com:99999 HTTP/1.1\r\n\r\n")]
    [InlineData("GET /origin-form HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET https://api.example.com/ HTTP/1.1\r\nHost: x\r\n\r\n")]
    public async Task Unusable_proxy_requests_get_400(string request)
    {
        await using var env = PipelineEnv.Start();
        var (tcp, s) = await ConnectAsync(env);
        using (tcp)
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes(request));
            (await ReadAllAsync(s)).Should().StartWith("HTTP/1.1 400");
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Truncated_client_hello_then_close_is_recorded()
    {
        await using var env = PipelineEnv.Start();
        var hello = ClientHelloBuilder.Build("api.example.com");
        var (tcp, s) = await ConnectAsync(env, "api.example.com:443");
        using (tcp)
        {
            await s.WriteAsync(hello.AsMemory(0, hello.Length / 2));
            tcp.Client.Shutdown(SocketShutdown.Send);
            await ReadAllAsync(s);
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("stopped after");
    }

    [Fact]
    public async Task Oversized_client_hello_is_refused_early()
    {
        await using var env = PipelineEnv.Start();
        var (tcp, s) = await ConnectAsync(env, "api.example.com:443");
        using (tcp)
        {
            // Handshake header announcing 200 KB, followed by filler records.
            await s.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x03, 0x0d, 0x40 });
            await s.WriteAsync(new byte[0x4000 - 4]);
            await ReadAllAsync(s);
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("exceeds");
        await StillServesAsync(env);
    }

    [Fact]
    public async Task Slow_headers_time_out_with_408()
    {
        await using var env = PipelineEnv.Start(o => o with { Limits = new HttpLimits { HeadTimeout = TimeSpan.FromSeconds(1) } });
        var (tcp, s) = await ConnectAsync(env);
        using (tcp)
        {
            await s.WriteAsync("GET http://plain.example.com/ HTTP/1.1\r\nHost: plain"u8.ToArray());
            (await ReadAllAsync(s)).Should().StartWith("HTTP/1.1 408");
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("not complete within");
    }

    [Fact]
    public async Task A_trickled_body_times_out_instead_of_holding_the_connection()
    {
        await using var env = PipelineEnv.Start(o => o with { Limits = new HttpLimits { BodyTimeout = TimeSpan.FromSeconds(1) } });
        var (tcp, s) = await ConnectAsync(env);
        using (tcp)
        {
            await s.WriteAsync("POST http://plain.example.com/ HTTP/1.1\r\nHost: plain.example.com\r\nContent-Length: 100\r\n\r\nonly ten b"u8.ToArray());
            await ReadAllAsync(s);
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("not complete within 1 s");
        await StillServesAsync(env);
    }

    [Fact]
    public async Task Oversized_headers_are_refused_with_400()
    {
        await using var env = PipelineEnv.Start();
        var (tcp, s) = await ConnectAsync(env);
        using (tcp)
        {
            var sb = new StringBuilder("GET http://plain.example.com/ HTTP/1.1\r\n");
            for (var i = 0; i < 2000; i++) sb.Append($"X-Filler-{i}: {new string('a', 60)}\r\n");
            try { await s.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString())); } catch (IOException) { }
            (await ReadAllAsync(s)).Should().StartWith("HTTP/1.1 400");
        }
        (await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, Wait)).Detail.Should().Contain("exceeds");
        await StillServesAsync(env);
    }

    [Fact]
    public async Task Abrupt_resets_mid_handshake_are_told_apart_from_closes()
    {
        await using var env = PipelineEnv.Start();
        var hello = await ClientHelloParserTests.CaptureClientHelloAsync("-servername", "api.example.com");

        var (tcp, s) = await ConnectAsync(env, "api.example.com:443");
        await s.WriteAsync(hello);
        await DrainAsync(s); // the proxy's first flight is here: now vanish with RST
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Client.Close(0);
        var reset = await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Refused, Wait);
        reset.TransportEnd.Should().Be("reset", reset.Detail);
        reset.AlertCode.Should().BeNull();

        var (tcp2, s2) = await ConnectAsync(env, "api.example.com:443");
        await s2.WriteAsync(hello);
        await DrainAsync(s2);
        tcp2.Client.Shutdown(SocketShutdown.Both);
        tcp2.Close();
        var close = await env.Server.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Refused && e.Id != reset.Id, Wait);
        close.TransportEnd.Should().Be("close");
        await StillServesAsync(env);
    }

    private static async Task DrainAsync(NetworkStream s)
    {
        var buf = new byte[16384];
        await s.ReadAsync(buf);
        while (s.Socket.Poll(300_000, SelectMode.SelectRead) && s.Socket.Available > 0) await s.ReadAsync(buf);
    }

    [Fact]
    public async Task A_thousand_concurrent_connections_with_good_flows_among_them()
    {
        await using var env = PipelineEnv.Start();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        // 900 idle/half-open holders (a CONNECT and nothing more, or half a request head) ...
        var holders = new List<TcpClient>();
        for (var i = 0; i < 900; i++)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(env.Server.Endpoint);
            var text = i % 2 == 0 ? "CONNECT api.example.com:443 HTTP/1.1\r\n\r\n" : "GET http://plain.example.com/ HTTP/1.1\r\nX-Slow: ";
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text));
            holders.Add(tcp);
        }
        // ... while 100 real intercepted flows run at once and all must succeed.
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(env.Server.Ca.Certificate);
        var flows = Enumerable.Range(0, 100).Select(async i =>
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                Proxy = new WebProxy(env.ProxyUrl), UseProxy = true,
                SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
            }) { Timeout = TimeSpan.FromSeconds(60) };
            return await http.GetStringAsync($"https://api.example.com/flow/{i}");
        }).ToList();
        var bodies = await Task.WhenAll(flows);
        for (var i = 0; i < bodies.Length; i++) bodies[i].Should().Contain($"origin saw GET /flow/{i}");
        env.Server.OpenConnections.Should().BeGreaterThanOrEqualTo(900, "the holders are still connected");
        var during = GC.GetTotalMemory(forceFullCollection: true);
        (during - before).Should().BeLessThan(200L * 1024 * 1024, "1,000 connections must not cost unbounded memory");
        foreach (var h in holders) h.Dispose();
        await StillServesAsync(env);
    }
}
