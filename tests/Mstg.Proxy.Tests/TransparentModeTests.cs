using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mstg.Fixtures.Processes;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;
using Mstg.Proxy.Tests.Infrastructure;

namespace Mstg.Proxy.Tests;

/// <summary>
/// Transparent mode for real: a network namespace of our own, an iptables REDIRECT of 10.77.0.1:443 to the proxy,
/// an openssl s_server origin, and curl that knows nothing about a proxy. Needs root, ip netns and iptables.
/// </summary>
public sealed class TransparentModeTests : IAsyncLifetime
{
    private readonly string _ns = "mstg-t-" + Guid.NewGuid().ToString("n")[..8];
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-transparent-").FullName;
    private BackgroundProcess? _origin;
    private bool _created;

    private static async Task<ToolResult> Sh(params string[] args) => await ExternalTool.RunAsync(args[0], args[1..]);

    private Task<ToolResult> InNs(params string[] args) => Sh(["ip", "netns", "exec", _ns, .. args]);

    public async ValueTask InitializeAsync()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/sbin/iptables")) return;
        if ((await Sh("ip", "netns", "add", _ns)).ExitCode != 0) return;
        _created = true;
        var up = await InNs("ip", "link", "set", "lo", "up");
        up.ExitCode.Should().Be(0, up.ToString());
        var address = await InNs("ip", "addr", "add", "10.77.0.1/32", "dev", "lo");
        address.ExitCode.Should().Be(0, address.ToString());
        var rule = await InNs("iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-d", "10.77.0.1", "--dport", "443", "-j", "REDIRECT", "--to-ports", "8443");
        rule.ExitCode.Should().Be(0, rule.ToString());
    }

    [Fact]
    public async Task Redirected_clients_are_intercepted_by_original_destination_and_sni()
    {
        if (!_created) Assert.Skip("needs root, ip netns and iptables (Debian package iptables)");

        // Origin inside the namespace: openssl s_server with a certificate from a private test CA.
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=transparent test CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=api.example.com", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("api.example.com");
        req.CertificateExtensions.Add(san.Build());
        using var leaf = req.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(5), [7, 7, 7]);
        File.WriteAllText(Path.Combine(_dir, "origin.pem"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "origin.key"), key.ExportPkcs8PrivateKeyPem());
        _origin = ExternalProcess.Start("ip", ["netns", "exec", _ns, "openssl", "s_server", "-accept", "127.0.0.1:9443",
            "-cert", Path.Combine(_dir, "origin.pem"), "-key", Path.Combine(_dir, "origin.key"), "-www", "-quiet"]);

        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 8443),
            Transparent = true,
            Condition = CertificateCondition.TrustedCa,
            Scope = ["*.example.com"],
            HostMap = new Dictionary<string, string> { ["api.example.com"] = "127.0.0.1:9443" },
            UpstreamTrustedRoots = [X509CertificateLoader.LoadCertificate(ca.RawData)],
        }, commandPrefix: ["ip", "netns", "exec", _ns]);
        var runCa = Path.Combine(_dir, "run-ca.pem");
        File.WriteAllText(runCa, proxy.CaCertificate.ExportCertificatePem());

        string[] curl = ["curl", "-sS", "--max-time", "15", "--resolve", "api.example.com:443:10.77.0.1", "--cacert", runCa, "https://api.example.com/"];
        ToolResult ok = new(1, "", "");
        for (var i = 0; i < 20 && !ok.Stdout.Contains("s_server"); i++) // the origin may still be starting
        {
            ok = await InNs(curl);
            if (!ok.Stdout.Contains("s_server")) await Task.Delay(250);
        }
        ok.Stdout.Should().Contain("s_server", $"curl must get the origin's page through the transparent proxy: {ok}\norigin: {_origin}");
        var accepted = await proxy.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Accepted, TimeSpan.FromSeconds(20));
        accepted.Mode.Should().Be("transparent-intercept");
        accepted.OriginalDestination.Should().Be("10.77.0.1:443");
        accepted.Host.Should().Be("api.example.com");
        accepted.InScope.Should().BeTrue();

        await proxy.SetConditionAsync(CertificateCondition.UntrustedCa);
        var refused = await InNs(curl);
        refused.ExitCode.Should().NotBe(0);
        var evt = await proxy.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Refused, TimeSpan.FromSeconds(20));
        evt.AlertCode.Should().Be(48);
        evt.OriginalDestination.Should().Be("10.77.0.1:443");

        // A connection that was not redirected has no original destination and is refused with evidence.
        await InNs("curl", "-sS", "--max-time", "5", "http://127.0.0.1:8443/");
        (await proxy.Events.WaitForAsync(e => e.Outcome == ConnectionOutcome.Error, TimeSpan.FromSeconds(20))).Detail.Should().Contain("not redirected");
    }

    [Fact]
    public async Task The_proxys_own_redirected_traffic_is_recognised_as_a_loop()
    {
        if (!_created) Assert.Skip("needs root, ip netns and iptables (Debian package iptables)");
        // No host map and no owner exclusion: upstream goes to the original destination 10.77.0.1:443, which the
        // OUTPUT rule redirects to the proxy again. Without the check every hop opens the next.
        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 8443),
            Transparent = true,
            Condition = CertificateCondition.Passthrough,
            Scope = ["*.example.com"],
        }, commandPrefix: ["ip", "netns", "exec", _ns]);

        var r = await InNs("curl", "-sS", "--max-time", "10", "-k", "--resolve", "loop.example.com:443:10.77.0.1", "https://loop.example.com/");
        r.ExitCode.Should().NotBe(0, "nothing real answers behind the loop");
        var loop = await proxy.Events.WaitForAsync(e => e.Detail?.Contains("own upstream socket") == true, TimeSpan.FromSeconds(20));
        loop.Outcome.Should().Be(ConnectionOutcome.Error);
        var outer = await proxy.Events.WaitForAsync(e => e.Host == "loop.example.com", TimeSpan.FromSeconds(20));
        outer.OriginalDestination.Should().Be("10.77.0.1:443");
        proxy.Events.Snapshot().Count(e => e.Type == "connection").Should().Be(2, "the client's connection and the one refused hop");
    }

    [Fact]
    public void Original_destination_of_a_plain_socket_is_null()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect((IPEndPoint)listener.LocalEndpoint);
        using var accepted = listener.AcceptSocket();
        OriginalDestination.Read(accepted).Should().BeNull();
    }

    public async ValueTask DisposeAsync()
    {
        _origin?.Dispose();
        if (_created) await Sh("ip", "netns", "del", _ns);
        Directory.Delete(_dir, true);
    }
}
