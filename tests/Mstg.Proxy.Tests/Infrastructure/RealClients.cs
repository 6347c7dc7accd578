using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mstg.Proxy.Tests.Infrastructure;

/// <summary>The real clients of the condition matrix, each with the trust a particular kind of app has.</summary>
public enum RealClient
{
    /// <summary>curl trusting the device store with the run CA installed (validating app).</summary>
    CurlDeviceTrust,
    /// <summary>curl trusting only the origin's CA: run CA not installed (MASTG-TEST-0067 step 1).</summary>
    CurlDefaultTrust,
    /// <summary>curl -k: an app with validation switched off.</summary>
    CurlInsecure,
    /// <summary>curl --pinnedpubkey of the origin key, trusting the device store: a pinning app.</summary>
    CurlPinned,
    /// <summary>openssl s_client -verify_return_error with the device store.</summary>
    OpenSslVerify,
    /// <summary>.NET HttpClient trusting the device store (custom root trust).</summary>
    DotNetHttpClient,
}

public sealed record ClientRun(bool GotResponse, string Evidence);

public static class RealClients
{
    public static async Task<ClientRun> RunAsync(RealClient client, ProxyLab lab, ProxyHost proxy)
    {
        var proxyUrl = $"http://127.0.0.1:{proxy.Endpoint.Port}";
        var url = $"https://{ProxyLab.Host}/matrix";
        var curlBase = new List<string> { "-sS", "--max-time", "20", "--proxy", proxyUrl, "-H", "Connection: close" };
        switch (client)
        {
            case RealClient.CurlDeviceTrust:
                return Curl(await ExternalTool.RunAsync("curl", [.. curlBase, "--cacert", lab.DeviceTrustPem(proxy), url]));
            case RealClient.CurlDefaultTrust:
                return Curl(await ExternalTool.RunAsync("curl", [.. curlBase, "--cacert", lab.OriginCaPem, url]));
            case RealClient.CurlInsecure:
                return Curl(await ExternalTool.RunAsync("curl", [.. curlBase, "-k", url]));
            case RealClient.CurlPinned:
                return Curl(await ExternalTool.RunAsync("curl", [.. curlBase, "--cacert", lab.DeviceTrustPem(proxy), "--pinnedpubkey", lab.OriginPin, url]));
            case RealClient.OpenSslVerify:
                var r = await ExternalTool.RunAsync("openssl",
                    ["s_client", "-proxy", $"127.0.0.1:{proxy.Endpoint.Port}", "-connect", $"{ProxyLab.Host}:443", "-servername", ProxyLab.Host,
                     "-CAfile", lab.DeviceTrustPem(proxy), "-verify_return_error", "-verify_hostname", ProxyLab.Host, "-ign_eof", "-quiet"],
                    stdin: $"GET /matrix HTTP/1.1\r\nHost: {ProxyLab.Host}\r\nConnection: close\r\n\r\n");
                return new ClientRun(r.Stdout.Contains("origin saw GET /matrix"), r.ToString());
            case RealClient.DotNetHttpClient:
                return await DotNetAsync(lab, proxy, proxyUrl, url);
            default:
                throw new ArgumentOutOfRangeException(nameof(client));
        }
    }

    private static ClientRun Curl(ToolResult r) => new(r.ExitCode == 0 && r.Stdout.Contains("origin saw GET /matrix"), r.ToString());

    private static async Task<ClientRun> DotNetAsync(ProxyLab lab, ProxyHost proxy, string proxyUrl, string url)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(proxy.CaCertificate);
        policy.CustomTrustStore.Add(lab.Origin.CaCertificate);
        using var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(proxyUrl), UseProxy = true,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            var body = await http.GetStringAsync(url);
            return new ClientRun(body.Contains("origin saw GET /matrix"), body);
        }
        catch (HttpRequestException e)
        {
            return new ClientRun(false, e.ToString());
        }
    }
}
