using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Requests whose target is the proxy itself get 508 Loop Detected and an Error event, and the proxy never
/// connects (its accepted-connection count stays at the test's own one). Targets that only share the host are
/// served as usual.
/// </summary>
public sealed class LoopDetectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("0.0.0.0")]
    public async Task Connect_to_the_proxy_itself_is_refused_without_connecting(string host)
    {
        await using var env = PipelineEnv.Start();
        var port = env.Server.Endpoint.Port;
        var response = await SendAsync(env.Server.Endpoint, $"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n");
        response.Should().StartWith("HTTP/1.1 508 Loop Detected");
        var e = await env.Server.Events.WaitForAsync(x => x.Type == "connection", Wait);
        e.Outcome.Should().Be(ConnectionOutcome.Error);
        e.Detail.Should().Contain("loop detected").And.Contain($":{port}");
        env.Server.AcceptedConnections.Should().Be(1, "only the test's own connection reached the proxy");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Absolute_form_request_to_the_proxy_itself_is_refused_without_connecting(string host)
    {
        await using var env = PipelineEnv.Start();
        var port = env.Server.Endpoint.Port;
        var response = await SendAsync(env.Server.Endpoint, $"GET http://{host}:{port}/again HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n");
        response.Should().StartWith("HTTP/1.1 508 Loop Detected");
        (await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Outcome == ConnectionOutcome.Error, Wait))
            .Detail.Should().Contain("loop");
        env.Server.AcceptedConnections.Should().Be(1);
    }

    [Fact]
    public async Task Other_ports_on_the_same_host_are_not_loops()
    {
        await using var env = PipelineEnv.Start();
        var plain = await env.CurlAsync($"http://127.0.0.1:{env.Plain.Port}/same-host");
        plain.Stdout.Should().Contain("origin saw GET /same-host", plain.ToString());
        var tunnel = await SendAsync(env.Server.Endpoint,
            $"CONNECT 127.0.0.1:{env.Plain.Port} HTTP/1.1\r\n\r\nGET /tunnelled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        tunnel.Should().StartWith("HTTP/1.1 200").And.Contain("origin saw GET /tunnelled");
    }

    [Fact]
    public async Task A_proxy_on_every_address_recognises_each_local_address()
    {
        await using var env = PipelineEnv.Start(o => o with
        {
            Listen = new IPEndPoint(IPAddress.Any, 0), AllowNonLoopback = true, ProxyCredentials = new NetworkCredential("u", "p"),
        });
        var port = env.Server.Endpoint.Port;
        var auth = "Proxy-Authorization: Basic " + Convert.ToBase64String("u:p"u8) + "\r\n";
        var local = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        local.Should().Contain(IPAddress.Loopback);
        foreach (var address in local)
        {
            var response = await SendAsync(new IPEndPoint(IPAddress.Loopback, port), $"CONNECT {address}:{port} HTTP/1.1\r\n{auth}\r\n");
            response.Should().StartWith("HTTP/1.1 508", $"{address} is this machine");
        }
        env.Server.AcceptedConnections.Should().Be(local.Count);
        // An address that is not this machine's is not a loop (the connect itself fails: nothing listens there).
        var foreign = await SendAsync(new IPEndPoint(IPAddress.Loopback, port), $"CONNECT 192.0.2.254:{port} HTTP/1.1\r\n{auth}\r\n");
        foreign.Should().StartWith("HTTP/1.1 200");
    }

    [Fact]
    public async Task An_accepted_connection_from_a_registered_upstream_socket_is_recognised()
    {
        // What a transparent REDIRECT of the proxy's own traffic looks like from the accept side, with real sockets.
        var guard = new LoopGuard();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var registration = guard.Register(upstream); // before connecting, as the connector does
        var connecting = upstream.ConnectAsync(listener.LocalEndpoint);
        using var accepted = await listener.AcceptSocketAsync();
        guard.IsOwnUpstream(accepted.RemoteEndPoint).Should().BeTrue("registered before the connect completed");
        await connecting;
        var stream = LoopGuard.Stream(upstream, registration);

        using var stranger = new TcpClient();
        await stranger.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var strangerAccepted = await listener.AcceptSocketAsync();
        guard.IsOwnUpstream(strangerAccepted.RemoteEndPoint).Should().BeFalse();

        await stream.DisposeAsync();
        guard.IsOwnUpstream(accepted.RemoteEndPoint).Should().BeFalse("a closed upstream socket is forgotten");
        guard.TrackedCount.Should().Be(0);
    }

    private static async Task<string> SendAsync(IPEndPoint proxy, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(proxy);
        var s = tcp.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var cts = new CancellationTokenSource(Wait);
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = await s.ReadAsync(chunk, cts.Token)) > 0)
            {
                buffer.Write(chunk, 0, n);
                var text = Encoding.ASCII.GetString(buffer.ToArray());
                // A 200 to CONNECT keeps the tunnel open; stop once something after it arrived or it is a bare 200.
                if (text.StartsWith("HTTP/1.1 200 Connection Established\r\n\r\n", StringComparison.Ordinal) && !request.Contains("GET ")) break;
            }
        }
        catch (IOException) { }
        return Encoding.ASCII.GetString(buffer.ToArray());
    }
}
