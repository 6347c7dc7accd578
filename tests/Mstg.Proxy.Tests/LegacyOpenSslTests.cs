using Mstg.Tls;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Mstg.Proxy.Certificates;

namespace Mstg.Proxy.Tests;

/// <summary>Why some conditions need their own process: what this (default-configured) process can and cannot serve.</summary>
public sealed class LegacyOpenSslTests
{
    private static async Task<Exception?> ServeOnceAsync(CertificateCondition condition)
    {
        using var ca = RunCertificateAuthority.Create("probe CA");
        using var leaves = new LeafCertificateFactory(ca);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serverTask = Task.Run(async () =>
            {
                using var s = await listener.AcceptTcpClientAsync();
                await using var ssl = new SslStream(s.GetStream());
                await ssl.AuthenticateAsServerAsync(ConditionTlsOptions.For(condition, leaves.GetContext("api.example.com", condition)));
            });
            using var c = new TcpClient();
            await c.ConnectAsync(IPAddress.Loopback, port);
            await using var client = new SslStream(c.GetStream(), false, (_, _, _, _) => true);
            try { await client.AuthenticateAsClientAsync("api.example.com"); } catch (Exception) { /* server side decides */ }
            try { await serverTask.WaitAsync(TimeSpan.FromSeconds(10)); return null; }
            catch (Exception e) { return e; }
        }
        finally { listener.Stop(); }
    }

    [Theory]
    [InlineData("trusted-ca")]
    [InlineData("weak-key")]
    [InlineData("sha1-signature")]
    [InlineData("tls10-only")]
    public async Task Default_process_serves_only_conditions_not_marked_legacy(string name)
    {
        LegacyOpenSsl.IsActive.Should().BeFalse("the test process runs with Debian's default OpenSSL policy");
        var condition = CertificateConditions.Parse(name);
        var error = await ServeOnceAsync(condition);
        if (condition.NeedsLegacyOpenSsl()) error.Should().NotBeNull($"{name} is marked legacy, so default OpenSSL must refuse it");
        else error.Should().BeNull($"{name} is served in-process");
    }
}
