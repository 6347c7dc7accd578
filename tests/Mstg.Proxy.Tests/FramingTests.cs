using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Requests whose length or headers two HTTP parsers could read differently (RFC 9112 §6.3, RFC 9110 §5.5, §8.6)
/// get a 400 and an event naming why, on every path a request can take: the explicit proxy's first request
/// (absolute-form), plain HTTP inside CONNECT, and decrypted TLS. Exact bytes over raw sockets. Each bad request
/// carries a second request in its "body": before the fix that second request reached the origin and the HAR.
/// </summary>
public sealed class FramingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: plain.example.com\r\n\r\n";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in new[] { "absolute-form", "connect-http", "intercept" })
            foreach (var c in new[] { "two-lengths", "length-list", "te-not-chunked", "te-and-cl", "nul-in-value", "cr-in-value" })
                data.Add(mode, c);
        return data;
    }

    /// <summary>Header lines and body of each bad request, and the words its refusal must give.</summary>
    private static (string Headers, string Body, string Reason) Bad(string name) => name switch
    {
        "two-lengths" => ($"Content-Length: 0\r\nContent-Length: {Smuggled.Length}\r\n", Smuggled, "different values"),
        "length-list" => ($"Content-Length: 0, {Smuggled.Length}\r\n", Smuggled, "different values"),
        "te-not-chunked" => ("Transfer-Encoding: gzip\r\n", Smuggled, "final coding is 'gzip', not chunked"),
        "te-and-cl" => ($"Transfer-Encoding: chunked\r\nContent-Length: {Smuggled.Length + 5}\r\n", "0\r\n\r\n" + Smuggled, "together with Content-Length"),
        "nul-in-value" => ("X-Note: a\0b\r\nContent-Length: 0\r\n", Smuggled, "contains NUL"),
        "cr-in-value" => ("X-Note: a\rX-Injected: 1\r\nContent-Length: 0\r\n", Smuggled, "contains CR"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Ambiguous_requests_get_400_and_a_reason_and_nothing_reaches_the_origin(string mode, string name)
    {
        await using var env = PipelineEnv.Start();
        var (headers, body, reason) = Bad(name);
        var response = await SendAsync(env, mode, "POST", headers, body);

        response.Should().StartWith("HTTP/1.1 400", response);
        var evt = await env.Server.Events.WaitForAsync(e => e.Detail?.Contains(reason, StringComparison.Ordinal) == true, Wait);
        // The first request of an explicit-proxy connection ends the connection (Error); inside a tunnel the
        // refusal is its own "rejected" event and the connection continues to say what the client trusted.
        if (mode == "absolute-form") evt.Should().Match<ProxyEvent>(e => e.Type == "connection" && e.Outcome == ConnectionOutcome.Error);
        else evt.Should().Match<ProxyEvent>(e => e.Type == "rejected" && e.Status == 400);
        if (mode == "intercept")
        {
            var connection = await env.Server.Events.WaitForAsync(e => e.Type == "connection" && e.Host == "api.example.com", Wait);
            connection.Outcome.Should().Be(ConnectionOutcome.Accepted, "the client finished the handshake and sent a request: it trusted the certificate");
            connection.Detail.Should().Contain(reason);
        }

        env.Tls.RequestCount.Should().Be(0);
        env.Plain.RequestCount.Should().Be(0);
        env.Server.Har.Count.Should().Be(0);
        env.Server.Events.Snapshot().Should().NotContain(e => e.Type == "flow" || (e.Url != null && e.Url.Contains("smuggled")));
    }

    [Theory]
    [InlineData("absolute-form", "Content-Length: 5\r\nContent-Length: 5\r\n")]
    [InlineData("intercept", "Content-Length: 5, 5\r\n")]
    [InlineData("connect-http", "Transfer-Encoding: chunked\r\n")]
    public async Task Agreeing_lengths_and_plain_chunked_are_relayed(string mode, string headers)
    {
        await using var env = PipelineEnv.Start();
        var body = headers.Contains("chunked") ? "5\r\nhello\r\n0\r\n\r\n" : "hello";
        var response = await SendAsync(env, mode, "POST", headers + "Connection: close\r\n", body);
        response.Should().StartWith("HTTP/1.1 200", response);
        response.Should().Contain("origin saw POST /framing").And.EndWith("hello");
    }

    private static async Task<string> SendAsync(PipelineEnv env, string mode, string method, string headers, string body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(env.Server.Endpoint);
        Stream stream = tcp.GetStream();
        var host = mode == "intercept" ? "api.example.com" : "plain.example.com";
        var target = "/framing";
        if (mode == "absolute-form")
        {
            target = $"http://{host}/framing";
        }
        else
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {host}:{(mode == "intercept" ? 443 : 80)} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
            var established = await ReadHeadAsync(stream);
            established.Should().StartWith("HTTP/1.1 200");
            if (mode == "intercept")
            {
                var ssl = new SslStream(stream, false, (_, _, _, _) => true);
                await ssl.AuthenticateAsClientAsync(host);
                stream = ssl;
            }
        }
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n{body}"));
        await stream.FlushAsync();
        var all = new MemoryStream();
        var buffer = new byte[4096];
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a hung proxy fails the test instead of stalling it
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, guard.Token)) > 0) all.Write(buffer, 0, n);
        }
        catch (IOException) { } // a TLS peer that closes without close_notify
        await stream.DisposeAsync();
        return Encoding.Latin1.GetString(all.ToArray());
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1) head.Append((char)one[0]);
        return head.ToString();
    }
}
