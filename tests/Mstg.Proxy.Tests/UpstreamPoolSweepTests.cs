using Microsoft.Extensions.Time.Testing;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Pooled origin connections are closed once idle past UpstreamIdleTimeout (30 s), by a sweep on the proxy's
/// TimeProvider; a manual clock crosses the timeout and the real origin sees its connection closed.
/// </summary>
public sealed class UpstreamPoolSweepTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Idle_origin_connections_are_kept_within_the_timeout_and_closed_after_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = PipelineEnv.Start(time: clock);

        (await env.CurlAsync("https://api.example.com/first")).Stdout.Should().Contain("origin saw GET /first");
        await Until(() => env.Server.IdleUpstreamConnections == 1, "the finished client connection returns its origin connection");

        clock.Advance(TimeSpan.FromSeconds(20)); // the sweep at 15 s finds it idle for 15 s: kept
        env.Server.IdleUpstreamConnections.Should().Be(1);
        env.Tls.OpenConnections.Should().Be(1);
        (await env.CurlAsync("https://api.example.com/second")).Stdout.Should().Contain("origin saw GET /second");
        env.Tls.ConnectionCount.Should().Be(1, "a connection idle for less than the timeout is reused");
        await Until(() => env.Server.IdleUpstreamConnections == 1, "returned again after the second request");

        clock.Advance(TimeSpan.FromSeconds(40)); // idle since t=20 s: kept at 30 and 45 s, closed at 60 s
        env.Server.IdleUpstreamConnections.Should().Be(0);
        await Until(() => env.Tls.OpenConnections == 0, "the origin sees the pooled connection closed");

        (await env.CurlAsync("https://api.example.com/third")).Stdout.Should().Contain("origin saw GET /third");
        env.Tls.ConnectionCount.Should().Be(2, "the swept connection is gone, so a new one is opened");
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (!condition())
        {
            if (cts.IsCancellationRequested) throw new TimeoutException($"not within {Wait.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }
}
