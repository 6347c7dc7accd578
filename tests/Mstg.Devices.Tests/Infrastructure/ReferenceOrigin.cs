using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mstg.Devices.Tests.Infrastructure;

/// <summary>
/// A reference bank origin on loopback, plain HTTP or HTTPS with a certificate from its own test root (so a client
/// accepts it only when that root is in its trust store). "/" is a page with a link the scenarios tap; "/api/balance"
/// is the call that link makes. A raw TcpListener rather than HttpListener, which refuses Host headers that do not match
/// its 127.0.0.1 prefix.
/// </summary>
public sealed class ReferenceOrigin : IAsyncDisposable
{
    public const string Host = "bank.reference.test";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _leaf;
    private readonly Task _loop;
    private int _requests;

    public ReferenceOrigin(bool tls)
    {
        if (tls)
        {
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var rootRequest = new CertificateRequest("CN=MstgTests reference root (Devices tests)", rootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            RootPem = root.ExportCertificatePem() + "\n";
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={Host}", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(Host);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            using var signed = request.Create(root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(20), [7, 1, 2, 3]);
            _leaf = signed.CopyWithPrivateKey(key);
        }
        _listener.Start();
        _loop = AcceptAsync();
    }

    public string? RootPem { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Address => $"127.0.0.1:{Port}";
    public Uri Url => new($"{(_leaf is null ? "http" : "https")}://{Host}/");
    public int Requests => Volatile.Read(ref _requests);

    public string WriteRootPem(string dir)
    {
        var path = Path.Combine(dir, "reference-root.pem");
        File.WriteAllText(path, RootPem ?? throw new InvalidOperationException("plain origin has no root"));
        return path;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_leaf is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _leaf }, _stop.Token);
                stream = ssl;
            }
            var reader = new StreamReader(stream, Encoding.ASCII);
            while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 } requestLine)
            {
                while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 }) { } // headers; the clients here send GETs only
                Interlocked.Increment(ref _requests);
                var path = requestLine.Split(' ')[1];
                var (status, type, body) = path switch
                {
                    "/" => ("200 OK", "text/html", "<html><head><title>Reference bank</title></head><body><h1 id='balance'>42.00</h1><script>console.warn('reference bank loaded')</script><a id='load' href='/api/balance'>Refresh</a></body></html>"),
                    "/api/balance" => ("200 OK", "text/html", "<html><head><title>Balance</title></head><body><p id='amount'>42.00 EUR</p></body></html>"),
                    _ => ("404 Not Found", "text/plain", ""),
                };
                var bytes = Encoding.UTF8.GetBytes(body);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\n\r\n").Concat(bytes).ToArray(), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _leaf?.Dispose();
    }
}
