using System.Net;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Pipeline;

namespace Mstg.Proxy.Tests.Infrastructure;

/// <summary>A private proxy + HTTPS origin + plaintext origin for one test.</summary>
public sealed class PipelineEnv : IAsyncDisposable
{
    public TestOrigin Tls { get; } = new("api.example.com", "out.example.net");
    public TestOrigin Plain { get; } = new(false, "plain.example.com");
    public ProxyServer Server { get; private set; } = null!;
    public string Dir { get; } = Directory.CreateTempSubdirectory("mstg-pipe-").FullName;
    public string ProxyUrl => $"http://127.0.0.1:{Server.Endpoint.Port}";

    public static PipelineEnv Start(Func<ProxyOptions, ProxyOptions>? configure = null, TimeProvider? time = null)
    {
        var env = new PipelineEnv();
        var options = new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Condition = CertificateCondition.TrustedCa,
            Scope = ["*.example.com"],
            HostMap = new Dictionary<string, string>
            {
                ["api.example.com"] = $"127.0.0.1:{env.Tls.Port}",
                ["out.example.net"] = $"127.0.0.1:{env.Tls.Port}",
                ["plain.example.com"] = $"127.0.0.1:{env.Plain.Port}",
            },
            UpstreamTrustedRoots = [env.Tls.CaCertificate],
            EventsPath = Path.Combine(env.Dir, "events.jsonl"),
            HarPath = Path.Combine(env.Dir, "flows.har"),
        };
        env.Server = new ProxyServer(configure?.Invoke(options) ?? options, time: time);
        env.Server.Start();
        File.WriteAllText(Path.Combine(env.Dir, "trust.pem"),
            env.Server.Ca.ExportCertificatePem() + "\n" + env.Tls.CaCertificate.ExportCertificatePem() + "\n");
        return env;
    }

    public string TrustPem => Path.Combine(Dir, "trust.pem");

    public Task<ToolResult> CurlAsync(params string[] args) =>
        ExternalTool.RunAsync("curl", ["-sS", "--max-time", "20", "--proxy", ProxyUrl, "--cacert", TrustPem, .. args]);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Tls.DisposeAsync();
        await Plain.DisposeAsync();
        Directory.Delete(Dir, true);
    }
}
