using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mstg.Proxy.Tests.Infrastructure;

/// <summary>
/// A real HTTPS origin on loopback (TcpListener + SslStream) with a certificate from its own test CA, playing
/// "api.example.com". Answers every request with "origin saw METHOD PATH" plus the request body, keep-alive.
/// </summary>
public sealed class TestOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _leaf;
    private readonly Task _loop;

    private readonly bool _tls;

    public TestOrigin(params string[] names) : this(true, names) { }

    public TestOrigin(bool tls, params string[] names)
    {
        _tls = tls;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=MstgTests test origin CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        CaCertificate = X509CertificateLoader.LoadCertificate(ca.RawData);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var n in names) san.AddDnsName(n);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = req.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        _leaf = signed.CopyWithPrivateKey(key);
        _listener.Start(4096);
        _loop = AcceptAsync();
    }

    public X509Certificate2 CaCertificate { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int RequestCount;
    public int ConnectionCount;
    /// <summary>Connections the origin is still serving (it notices a close when its read ends).</summary>
    public int OpenConnections => _open.Count;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Socket, byte> _open = new();

    /// <summary>Closes every connection the origin holds, as an origin's idle timeout would.</summary>
    public void DropConnections()
    {
        foreach (var s in _open.Keys) { try { s.Shutdown(SocketShutdown.Both); } catch (SocketException) { } s.Close(); }
    }

    public string WriteCaPem(string dir)
    {
        var path = Path.Combine(dir, "origin-ca.pem");
        File.WriteAllText(path, CaCertificate.ExportCertificatePem());
        return path;
    }

    private async Task AcceptAsync()
    {
        var context = SslStreamCertificateContext.Create(_leaf, null, offline: true);
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try { s = await _listener.AcceptSocketAsync(_stop.Token); } catch { return; }
            Interlocked.Increment(ref ConnectionCount);
            _open[s] = 0;
            _ = Task.Run(async () => { await ServeAsync(s, context); _open.TryRemove(s, out _); });
        }
    }

    private async Task ServeAsync(Socket socket, SslStreamCertificateContext context)
    {
        try
        {
            Stream ssl = new NetworkStream(socket, true);
            if (_tls)
            {
                var tls = new SslStream(ssl);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, _stop.Token);
                ssl = tls;
            }
            await using var _ = ssl;
            var reader = new Mstg.Proxy.Http.HttpMessageReader(ssl, "origin-client", new Mstg.Proxy.Http.HttpLimits());
            while (true)
            {
                var head = await reader.ReadRequestHeadAsync(_stop.Token);
                if (head is null) return;
                var body = await reader.ReadRequestBodyAsync(head, _stop.Token);
                Interlocked.Increment(ref RequestCount);
                var text = Encoding.UTF8.GetBytes($"origin saw {head.Method} {head.Target} host={head.Headers.Get("Host")}\n");
                var payload = text.Concat(body).ToArray();
                var response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {payload.Length}\r\nSet-Cookie: session=s3cr3t-origin-cookie\r\n\r\n");
                await ssl.WriteAsync(response.Concat(payload).ToArray(), _stop.Token);
                if (head.Headers.HasToken("Connection", "close")) return;
            }
        }
        catch (Exception) { /* clients of a test origin come and go */ }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
    }
}
