using System.Collections.Concurrent;
using System.Net;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;

namespace Mstg.Devices.Tests.Infrastructure;

/// <summary>The suite's proxy on loopback, mapping the reference host to an origin and reaching nothing else (HostMapOnly), with its events collected.</summary>
public sealed class ProxyRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<ProxyEvent> _events = new();
    private readonly IDisposable _subscription;

    public ProxyRecorder(ReferenceOrigin origin, CertificateCondition condition, string? originRootPem = null)
    {
        Server = new ProxyServer(new ProxyOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Condition = condition,
            HostMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [ReferenceOrigin.Host] = origin.Address },
            HostMapOnly = true,
            UpstreamTrustedRoots = originRootPem is null ? null : Roots(originRootPem),
        });
        _subscription = Server.Events.Subscribe(new Collector(_events));
        Server.Start();
    }

    public ProxyServer Server { get; }
    public Uri Url => new($"http://127.0.0.1:{Server.Endpoint.Port}");
    public IReadOnlyList<ProxyEvent> Events => _events.ToArray();
    public string Describe() => string.Join("\n", _events.Select(e => $"{e.Type} {e.Host}:{e.Port} {e.Url} {e.Status} {e.Outcome} {e.Detail}"));

    /// <summary>A connection's event is written when it closes; waits (bounded) until one matches, for evidence written after the client quits.</summary>
    public async Task<bool> WaitForEventAsync(Func<ProxyEvent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_events.Any(match))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    public string WriteCaPem(string dir)
    {
        var path = Path.Combine(dir, "run-ca.pem");
        File.WriteAllText(path, Server.Ca.ExportCertificatePem());
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await Server.DisposeAsync();
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection Roots(string pem)
    {
        var collection = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection;
    }

    private sealed class Collector(ConcurrentQueue<ProxyEvent> into) : IObserver<ProxyEvent>
    {
        public void OnNext(ProxyEvent value) => into.Enqueue(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
