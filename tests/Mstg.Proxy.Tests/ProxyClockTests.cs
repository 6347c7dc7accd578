using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Tests;

/// <summary>The proxy's clock dates its run CA as well as the leaves the CA signs, so a moved clock still yields a valid chain.</summary>
public sealed class ProxyClockTests
{
    [Fact]
    public async Task A_trusted_ca_leaf_chains_to_the_run_ca_at_the_proxy_clock_years_from_today()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = new ProxyServer(new ProxyOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, time: clock);

        server.Ca.Certificate.NotBefore.ToUniversalTime().Should().Be(clock.GetUtcNow().UtcDateTime.AddHours(-1));
        var leaf = server.Leaves.GetLeaf("api.example.com", CertificateCondition.TrustedCa);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(server.Ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        chain.Build(leaf).Should().BeTrue(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }
}
