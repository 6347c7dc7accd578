using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mstg.Proxy;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Pipeline;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The run's one proxy: started with the relaxed OpenSSL configuration so it serves every condition (TLS 1.0/1.1,
/// RSA-1024 and SHA-1 included), scoped to the first-party hosts, in passthrough between conditions.
/// <see cref="UseConditionAsync"/> is ProxyHost's own condition scope; the out-of-process host mirrors every event type,
/// so flows (URLs, the HAR slice) are there for every condition.
/// </summary>
public sealed class RunProxy : IAsyncDisposable
{
    private readonly ProxyHost _host;

    private RunProxy(ProxyHost host, string directory)
    {
        _host = host;
        Directory = directory;
        RunCaPem = Path.Combine(directory, "run-ca.pem");
        File.WriteAllText(RunCaPem, host.CaCertificate.ExportCertificatePem() + "\n");
    }

    public Uri Url => new($"http://127.0.0.1:{_host.Endpoint.Port}");
    public string Directory { get; }
    /// <summary>The run CA's certificate, as the app is given it (a tester installs it as a profile on a device).</summary>
    public string RunCaPem { get; }

    /// <param name="reference">A reference target's routing (its backend's host map, host-map-only, its root upstream), in place of the settings'.</param>
    public static async Task<RunProxy> StartAsync(IReadOnlyList<string> scope, CancellationToken ct, ReferenceRouting? reference = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("mstg-dynamic-").FullName;
        X509Certificate2Collection? upstream = null;
        if ((reference?.UpstreamCaPem ?? DynamicSettings.UpstreamCa) is { } upstreamCa)
        {
            upstream = [];
            upstream.ImportFromPemFile(upstreamCa);
        }
        var saved = DynamicSettings.SavedCa;
        var options = new ProxyOptions
        {
            CaCertificatePath = saved?.Cert,
            CaKeyPath = saved?.Key,
            Listen = new IPEndPoint(IPAddress.Loopback, DynamicSettings.ProxyPort),
            Condition = CertificateCondition.Passthrough,
            // An empty scope would intercept every host; with no first-party host nothing is intercepted (a host that
            // matches no real name), and the passthrough run still lists every host the app talked to.
            Scope = scope.Count > 0 ? scope : ["first-party-hosts-not-configured.invalid"],
            HostMap = reference?.HostMap ?? DynamicSettings.HostMap,
            HostMapOnly = reference is not null || DynamicSettings.HostMapOnly,
            UpstreamTrustedRoots = upstream,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };
        try
        {
            return new RunProxy(await ProxyHost.StartAsync(options, legacyTls: true, ct).ConfigureAwait(false), directory);
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or TimeoutException or IOException or MstgInputException or System.ComponentModel.Win32Exception)
        {
            throw new DynamicEnvironmentException($"the run's proxy did not start: {e.Message}", e);
        }
    }

    /// <summary>The event log's position: a mark that <see cref="Since"/> and <see cref="WaitForConnectionAsync"/> start after.</summary>
    public long EventPosition => _host.Events.Position;

    /// <summary>Sets <paramref name="condition"/> until the returned scope ends, then puts passthrough back, also when the body threw.</summary>
    public async Task<IAsyncDisposable> UseConditionAsync(CertificateCondition condition, CancellationToken ct) =>
        await _host.UseConditionAsync(condition, ct).ConfigureAwait(false);

    /// <summary>Waits until no event arrived for <paramref name="quiet"/> (bounded): connection events come when connections end.</summary>
    public async Task SettleAsync(TimeSpan quiet, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        // The log's position, not its length: the length stops changing once the in-memory log is full.
        var last = _host.Events.Position;
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, ct).ConfigureAwait(false);
            var now = _host.Events.Position;
            if (now != last) { last = now; stableSince = DateTime.UtcNow; }
            else if (DateTime.UtcNow - stableSince >= quiet) return;
        }
    }

    /// <summary>
    /// Waits (bounded) for the first connection event of <paramref name="condition"/> after <paramref name="after"/>. A
    /// connection's event is written when the connection ends, by the proxy child, so under load it can trail the app's
    /// exit by more than the quiet period; without this wait such a window would read as "no traffic".
    /// </summary>
    public async Task<bool> WaitForConnectionAsync(long after, CertificateCondition condition, TimeSpan timeout)
    {
        var name = condition.ToName();
        try
        {
            await _host.Events.WaitForAsync(e => e.Type == "connection" && e.Condition == name, timeout, after).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    public IReadOnlyList<ProxyEvent> Since(long position) => _host.Events.Since(position);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Where the proxy sends a reference target's traffic: only to its backend, whose root it trusts upstream.</summary>
public sealed record ReferenceRouting(IReadOnlyDictionary<string, string> HostMap, string UpstreamCaPem);
