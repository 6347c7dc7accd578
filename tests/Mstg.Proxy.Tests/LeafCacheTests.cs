using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// The leaf cache is bounded (clients choose SNI names), disposes evicted certificates only when no handshake holds
/// them, and rebuilds a leaf near the end of its validity when a later one is possible.
/// </summary>
public sealed class LeafCacheTests : IDisposable
{
    private readonly RunCertificateAuthority _ca = RunCertificateAuthority.Create("leaf cache test CA", ["*.example.com"]);

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void Many_names_keep_only_the_most_recent_and_dispose_the_rest()
    {
        using var leaves = new LeafCertificateFactory(_ca, capacity: 4);
        var issued = Enumerable.Range(0, 20).Select(i => leaves.GetLeaf($"h{i}.example.com", CertificateCondition.TrustedCa)).ToList();
        leaves.CachedCount.Should().Be(4);
        leaves.BuiltCount.Should().Be(20);
        issued.Take(16).Should().OnlyContain(c => c.Handle == IntPtr.Zero, "evicted leaves nobody holds are disposed");
        issued.Skip(16).Should().OnlyContain(c => c.Handle != IntPtr.Zero);
        // Recently used entries are hits; touching h16 makes h17 the oldest.
        leaves.GetLeaf("h16.example.com", CertificateCondition.TrustedCa).Should().BeSameAs(issued[16]);
        leaves.GetLeaf("h20.example.com", CertificateCondition.TrustedCa);
        issued[16].Handle.Should().NotBe(IntPtr.Zero);
        issued[17].Handle.Should().Be(IntPtr.Zero);
        leaves.BuiltCount.Should().Be(21);
    }

    [Fact]
    public async Task An_evicted_leaf_held_by_a_handshake_stays_usable_until_released()
    {
        using var leaves = new LeafCertificateFactory(_ca, capacity: 2);
        var lease = leaves.Rent("held.example.com", CertificateCondition.TrustedCa);
        var held = lease.Context.TargetCertificate;
        for (var i = 0; i < 10; i++) leaves.GetLeaf($"other{i}.example.com", CertificateCondition.TrustedCa);
        leaves.CachedCount.Should().Be(2);
        held.Handle.Should().NotBe(IntPtr.Zero, "the lease is still held");

        // A real handshake with the evicted-but-leased context.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var serverSocket = await listener.AcceptSocketAsync();
        await using var server = new SslStream(new NetworkStream(serverSocket, true));
        await using var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        var serve = server.AuthenticateAsServerAsync(ConditionTlsOptions.For(CertificateCondition.TrustedCa, lease.Context));
        await tls.AuthenticateAsClientAsync("held.example.com");
        await serve;
        tls.RemoteCertificate!.Subject.Should().Contain("held.example.com");

        lease.Dispose();
        held.Handle.Should().Be(IntPtr.Zero, "released after eviction: disposed");
        lease.Dispose(); // twice is harmless
    }

    [Fact]
    public void A_leaf_near_its_end_is_rebuilt_and_the_old_one_disposed()
    {
        // Self-signed leaves are valid for a day from when they are made, so a later one is always possible.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var leaves = new LeafCertificateFactory(_ca, time: clock);
        var first = leaves.GetLeaf("api.example.com", CertificateCondition.SelfSigned);
        clock.Advance(TimeSpan.FromHours(22));
        leaves.GetLeaf("api.example.com", CertificateCondition.SelfSigned).Should().BeSameAs(first, "still more than an hour left");
        clock.Advance(TimeSpan.FromHours(1.5));
        var second = leaves.GetLeaf("api.example.com", CertificateCondition.SelfSigned);
        second.Should().NotBeSameAs(first);
        second.NotAfter.Should().BeAfter(DateTime.UtcNow.AddHours(40), "made at the moved clock");
        first.Handle.Should().Be(IntPtr.Zero);
        // A run-CA leaf already ends with the CA: rebuilding could not help, so it is kept.
        var trusted = leaves.GetLeaf("api.example.com", CertificateCondition.TrustedCa);
        leaves.GetLeaf("api.example.com", CertificateCondition.TrustedCa).Should().BeSameAs(trusted);
    }

    [Fact]
    public async Task Through_the_proxy_more_names_than_the_capacity_all_complete_their_handshakes()
    {
        var names = Enumerable.Range(0, 6).Select(i => $"n{i}.example.com").ToList();
        await using var env = PipelineEnv.Start(o => o with
        {
            LeafCacheCapacity = 2,
            // No origin behind these names: the handshake with curl is what is tested, the request then gets a 502.
            HostMap = new Dictionary<string, string>(o.HostMap.Concat(names.Select(n => KeyValuePair.Create(n, "127.0.0.1:1")))),
        });
        foreach (var name in names)
        {
            var r = await env.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", $"https://{name}/");
            r.ExitCode.Should().Be(0, $"curl verified the leaf for {name}: {r}");
            r.Stdout.Should().Be("502");
        }
        env.Server.Leaves.CachedCount.Should().Be(2);
        env.Server.Leaves.BuiltCount.Should().Be(6);
        env.Server.Events.Snapshot().Count(e => e.Type == "connection" && e.HandshakeCompleted == true).Should().Be(6);
    }
}
