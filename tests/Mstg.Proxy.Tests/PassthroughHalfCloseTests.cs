using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// A tunnel passes each side's end on as it happens: when the origin finishes sending, the client sees EOF at
/// once while its own direction stays open (TCP half-close), as it would talking to the origin directly.
/// </summary>
public sealed class PassthroughHalfCloseTests
{
    [Fact]
    public async Task Origin_finishing_is_passed_on_at_once_and_the_client_can_still_send()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // fails a hung tunnel, never times a fast one
        var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        var originPort = ((IPEndPoint)origin.LocalEndpoint).Port;
        await using var env = PipelineEnv.Start(o => o with
        {
            Condition = CertificateCondition.Passthrough,
            HostMap = new Dictionary<string, string>(o.HostMap) { ["half.example.com"] = $"127.0.0.1:{originPort}" },
        });

        // The origin answers, half-closes (FIN), and keeps reading what the client still sends.
        var originSide = Task.Run(async () =>
        {
            using var s = await origin.AcceptSocketAsync(guard.Token);
            await using var stream = new NetworkStream(s);
            var greeting = await ReadUntilAsync(stream, "\r\n", guard.Token);
            await stream.WriteAsync("SSH-2.0-origin\r\n"u8.ToArray(), guard.Token);
            s.Shutdown(SocketShutdown.Send);
            return (greeting, rest: await ReadToEndAsync(stream, guard.Token));
        });

        using var client = new TcpClient();
        await client.ConnectAsync(env.Server.Endpoint, guard.Token);
        var c = client.GetStream();
        await c.WriteAsync("CONNECT half.example.com:7000 HTTP/1.1\r\nHost: half.example.com:7000\r\n\r\n"u8.ToArray(), guard.Token);
        (await ReadUntilAsync(c, "\r\n\r\n", guard.Token)).Should().StartWith("HTTP/1.1 200");
        await c.WriteAsync("SSH-2.0-client\r\n"u8.ToArray(), guard.Token);

        // EOF must come from the origin's FIN, passed on. Before the fix the client saw EOF only when the proxy gave
        // up on the whole tunnel (5 s later), and by then the client's direction was closed too.
        (await ReadToEndAsync(c, guard.Token)).Should().Be("SSH-2.0-origin\r\n");
        await c.WriteAsync("after-eof\n"u8.ToArray(), guard.Token);
        client.Client.Shutdown(SocketShutdown.Send);

        var (greeting, rest) = await originSide;
        greeting.Should().Be("SSH-2.0-client\r\n");
        rest.Should().Be("after-eof\n", "the client's direction stays open after the origin's half-close");
        var e = await env.Server.Events.WaitForAsync(x => x.Type == "connection" && x.Host == "half.example.com", TimeSpan.FromSeconds(20));
        e.Outcome.Should().Be(Mstg.Proxy.Evidence.ConnectionOutcome.NonTls);
        origin.Stop();
    }

    private static async Task<string> ReadUntilAsync(Stream s, string end, CancellationToken ct)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal) && await s.ReadAsync(one, ct) == 1) text.Append((char)one[0]);
        return text.ToString();
    }

    private static async Task<string> ReadToEndAsync(Stream s, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        while ((n = await s.ReadAsync(buffer, ct)) > 0) all.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(all.ToArray());
    }
}
