using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Tests;

/// <summary>A flood of clients cannot make the proxy serve more connections than <see cref="ProxyOptions.MaxConnections"/>.</summary>
public class ConnectionCapTests
{
    [Fact]
    public async Task Past_the_cap_a_client_waits_until_a_slot_frees()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ProxyServer(new ProxyOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), MaxConnections = 2 });
        server.Start();

        // Two idle clients take both slots (the proxy waits for their request heads).
        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync(server.Endpoint, ct);
        await second.ConnectAsync(server.Endpoint, ct);

        // A third is only queued by the kernel: its request gets no answer while both slots are held.
        using var third = new TcpClient();
        await third.ConnectAsync(server.Endpoint, ct);
        var stream = third.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET http://mstg.proxy/ca.pem HTTP/1.1\r\nHost: mstg.proxy\r\n\r\n"), ct);
        var buffer = new byte[16];
        var read = stream.ReadAsync(buffer, ct).AsTask();
        (await Task.WhenAny(read, Task.Delay(TimeSpan.FromMilliseconds(500), ct))).Should().NotBeSameAs(read, "both slots are taken");

        // Freeing one slot lets it through.
        first.Close();
        (await read.WaitAsync(TimeSpan.FromSeconds(10), ct)).Should().BeGreaterThan(0);
        Encoding.ASCII.GetString(buffer).Should().StartWith("HTTP/1.1 200");
    }

    [Fact]
    public async Task Stopping_while_a_freed_slot_goes_back_to_accepting_never_throws()
    {
        // The race CI met once: a slot frees, the accept loop takes it, and the server stops before the loop's next accept
        // ("Not listening"). Disposal must end quietly however the two interleave; the race is run 50 times, which makes the
        // interleaving likely but not certain (it is a stress repetition, not a deterministic reproduction).
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 50; i++)
        {
            var server = new ProxyServer(new ProxyOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), MaxConnections = 1 });
            server.Start();
            using (var holder = new TcpClient())
            {
                await holder.ConnectAsync(server.Endpoint, ct);
                holder.Close();
            }
            await server.Invoking(s => s.DisposeAsync().AsTask()).Should().NotThrowAsync($"round {i}");
        }
    }
}
