using System.Net;
using Mstg.Fixtures.Proxy;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;

namespace Mstg.Dynamic.Tests;

/// <summary>
/// A private in-process proxy in passthrough with an HTTPS origin (api.example.com) and a plain-HTTP origin
/// (plain.example.com) behind it, for the cleartext cases: curl through it makes real TLS tunnels and real cleartext.
/// </summary>
public sealed class CleartextLab : IAsyncDisposable
{
    public TestOrigin Tls { get; } = new("api.example.com");
    public TestOrigin Plain { get; } = new(false, "plain.example.com");
    public ProxyServer Server { get; }
    private readonly string _dir = Directory.CreateTempSubdirectory("mstg-cleartext-lab-").FullName;

    public CleartextLab()
    {
        Server = new ProxyServer(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Condition = CertificateCondition.Passthrough,
            Scope = ["*.example.com"],
            HostMap = new Dictionary<string, string>
            {
                ["api.example.com"] = $"127.0.0.1:{Tls.Port}",
                ["plain.example.com"] = $"127.0.0.1:{Plain.Port}",
            },
            HostMapOnly = true,
            UpstreamTrustedRoots = [Tls.CaCertificate],
        });
        Server.Start();
        Tls.WriteCaPem(_dir);
    }

    /// <summary>curl through the proxy, trusting the HTTPS origin's CA.</summary>
    public Task<ToolResult> CurlAsync(string url) =>
        ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", $"http://127.0.0.1:{Server.Endpoint.Port}",
            "--cacert", Path.Combine(_dir, "origin-ca.pem"), url]);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Tls.DisposeAsync();
        await Plain.DisposeAsync();
        Directory.Delete(_dir, true);
    }
}
