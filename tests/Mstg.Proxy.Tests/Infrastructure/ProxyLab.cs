using Mstg.Tls;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Tests.Infrastructure;

/// <summary>
/// One origin playing api.example.com on loopback, an in-process proxy, and (on first use) an out-of-process
/// proxy with the relaxed OpenSSL configuration, plus the trust files the real clients use:
/// "device trust" = run CA + origin CA (the run CA installed), "default trust" = origin CA only (not installed).
/// </summary>
public sealed class ProxyLab : IAsyncLifetime
{
    public const string Host = "api.example.com";
    private readonly SemaphoreSlim _legacyGate = new(1, 1);
    private ProxyHost? _legacy;

    public TestOrigin Origin { get; } = new(Host, "other.example.com");
    public ProxyHost Proxy { get; private set; } = null!;
    public string Dir { get; } = Directory.CreateTempSubdirectory("mstg-proxy-lab-").FullName;
    public string OriginCaPem => Path.Combine(Dir, "origin-ca.pem");

    /// <summary>SHA-256 of the origin leaf's SubjectPublicKeyInfo, the pin a pinning client carries.</summary>
    public string OriginPin { get; private set; } = "";

    public ProxyOptions Options(CertificateCondition condition) => new()
    {
        Listen = new(System.Net.IPAddress.Loopback, 0),
        Condition = condition,
        Scope = ["*.example.com"],
        HostMap = new Dictionary<string, string> { [Host] = $"127.0.0.1:{Origin.Port}", ["other.example.com"] = $"127.0.0.1:{Origin.Port}" },
        UpstreamTrustedRoots = [Origin.CaCertificate],
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask InitializeAsync()
    {
        Origin.WriteCaPem(Dir);
        Proxy = await ProxyHost.StartAsync(Options(CertificateCondition.TrustedCa));
        WriteTrust(Proxy, "inproc");
        OriginPin = await ReadOriginPinAsync();
    }

    /// <summary>The proxy a condition needs: in-process, or the out-of-process one for legacy OpenSSL conditions.</summary>
    public async Task<ProxyHost> ProxyFor(CertificateCondition condition)
    {
        var host = condition.NeedsLegacyOpenSsl() ? await LegacyAsync() : Proxy;
        if (host.Condition != condition) await host.SetConditionAsync(condition);
        return host;
    }

    public async Task<ProxyHost> LegacyAsync()
    {
        await _legacyGate.WaitAsync();
        try
        {
            if (_legacy is null)
            {
                _legacy = await ProxyHost.StartAsync(Options(CertificateCondition.TrustedCa), legacyTls: true);
                WriteTrust(_legacy, "legacy");
            }
            return _legacy;
        }
        finally { _legacyGate.Release(); }
    }

    public string DeviceTrustPem(ProxyHost host) => Path.Combine(Dir, $"device-trust-{(host.IsOutOfProcess ? "legacy" : "inproc")}.pem");
    public string RunCaPem(ProxyHost host) => Path.Combine(Dir, $"run-ca-{(host.IsOutOfProcess ? "legacy" : "inproc")}.pem");

    private void WriteTrust(ProxyHost host, string tag)
    {
        File.WriteAllText(Path.Combine(Dir, $"run-ca-{tag}.pem"), host.CaCertificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(Dir, $"device-trust-{tag}.pem"),
            host.CaCertificate.ExportCertificatePem() + "\n" + Origin.CaCertificate.ExportCertificatePem() + "\n");
    }

    private async Task<string> ReadOriginPinAsync()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, Origin.Port);
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(Host);
        using var cert = new X509Certificate2(ssl.RemoteCertificate!);
        return "sha256//" + Convert.ToBase64String(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Waits for the connection event that follows a client run (events after <paramref name="afterId"/>).</summary>
    public static Task<ProxyEvent> NextConnectionAsync(ProxyHost host, long afterId) =>
        host.Events.WaitForAsync(e => e.Type == "connection" && e.Id > afterId && e.Host == Host, TimeSpan.FromSeconds(30));

    public static long LastId(ProxyHost host) => host.Events.Snapshot().Select(e => e.Id).DefaultIfEmpty(0).Max();

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        if (_legacy is not null) await _legacy.DisposeAsync();
        await Origin.DisposeAsync();
        Directory.Delete(Dir, true);
    }
}
