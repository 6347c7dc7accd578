using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Hosting;
using Mstg.Proxy.Pipeline;
using Mstg.Tls;

namespace Mstg.Proxy;

/// <summary>
/// What a test fixture starts and stops. In-process for everything Debian's default OpenSSL allows; with
/// <c>legacyTls</c> (or a condition that needs it) it runs the same proxy as a child process started with a relaxed
/// OPENSSL_CONF (TLS 1.0/1.1, RSA-1024, SHA-1). The child gets every <see cref="ProxyOptions"/> property in one
/// document and every event comes back into <see cref="Events"/>, so the API is the same either way.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly ProxyServer? _server;
    private readonly ProxyChildConnection? _child;
    private readonly SemaphoreSlim _conditionGate = new(1, 1);
    private int _disposed;

    private ProxyHost(ProxyServer server)
    {
        _server = server;
        Events = server.Events;
        Endpoint = server.Endpoint;
        CaCertificate = X509CertificateLoader.LoadCertificate(server.Ca.ExportCertificateDer());
        Condition = server.Condition;
    }

    private ProxyHost(ProxyChildConnection child, ProxyEventLog events, CertificateCondition condition)
    {
        _child = child;
        Events = events;
        Endpoint = child.Endpoint;
        CaCertificate = child.CaCertificate;
        Condition = condition;
    }

    public IPEndPoint Endpoint { get; }
    /// <summary>The run CA's public certificate (install it on the device for trusted-ca).</summary>
    public X509Certificate2 CaCertificate { get; }
    /// <summary>Every event of the proxy, of every type; out of process mirrored from the child as they happen.</summary>
    public ProxyEventLog Events { get; }
    public CertificateCondition Condition { get; private set; }
    /// <summary>The current condition's generation: 1 at start, one more per change (<see cref="ProxyEvent.ConditionGeneration"/>).</summary>
    public long ConditionGeneration { get; private set; } = 1;
    public bool IsOutOfProcess => _child is not null;
    /// <summary>Decrypted flows of an in-process proxy; <see cref="ReadHarAsync"/> works in both modes.</summary>
    public HarRecorder? Har => _server?.Har;
    /// <summary>The last 64 KiB of an out-of-process proxy's stderr (empty in process), for failure messages.</summary>
    public string StandardErrorTail => _child?.StandardError.ToString() ?? "";
    /// <summary>The out-of-process proxy's private folder (options document, OpenSSL configuration); deleted on dispose.</summary>
    public string? PrivateDirectory => _child?.Directory;

    /// <param name="commandPrefix">Forces a child process started under this command (e.g. <c>ip netns exec NS</c> for transparent mode in a namespace).</param>
    public static async Task<ProxyHost> StartAsync(ProxyOptions options, bool legacyTls = false, CancellationToken ct = default,
        IReadOnlyList<string>? commandPrefix = null)
    {
        legacyTls |= options.Condition.NeedsLegacyOpenSsl();
        if (commandPrefix is null or { Count: 0 } && (!legacyTls || LegacyOpenSsl.IsActive))
        {
            var server = new ProxyServer(options);
            server.Start();
            return new ProxyHost(server);
        }
        // The parent's copy of the log redacts as the child does; the child alone writes EventsPath and HarPath.
        var events = new ProxyEventLog(redactor: new Redactor(options.Redact, options.Redaction));
        var child = await ProxyChildConnection.StartAsync(options, events, commandPrefix, ct).ConfigureAwait(false);
        return new ProxyHost(child, events, options.Condition);
    }

    /// <summary>
    /// Takes effect for new connections; open in-scope connections are closed. Returns once the proxy applied it,
    /// with the "condition" event that starts the new generation.
    /// </summary>
    public async Task<ProxyEvent> SetConditionAsync(CertificateCondition condition, CancellationToken ct = default)
    {
        await _conditionGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var evt = _server is not null ? _server.SetCondition(condition) : await _child!.SetConditionAsync(condition, ct).ConfigureAwait(false);
            Condition = condition;
            ConditionGeneration = evt.ConditionGeneration ?? ConditionGeneration + 1;
            return evt;
        }
        finally { _conditionGate.Release(); }
    }

    /// <summary>
    /// Sets <paramref name="condition"/> until the scope is disposed, which puts the previous condition back (also
    /// when the test fails inside it). The scope's <see cref="ConditionScope.Connections"/> are exactly the
    /// connections made under this setting. Always switches, even to the current condition, so the scope starts
    /// with no connection left open from before.
    /// </summary>
    public async Task<ConditionScope> UseConditionAsync(CertificateCondition condition, CancellationToken ct = default)
    {
        var previous = Condition;
        var start = Events.Position;
        var evt = await SetConditionAsync(condition, ct).ConfigureAwait(false);
        var window = new ProxyEventWindow(Events, start).ForGeneration(evt.ConditionGeneration ?? ConditionGeneration);
        return new ConditionScope(this, condition, previous, window);
    }

    /// <summary>A window on the events from now on, whatever the condition.</summary>
    public ProxyEventWindow OpenWindow() => Events.OpenWindow();

    internal bool IsDisposed => _disposed != 0;

    /// <summary>The HAR (1.2) of the flows recorded so far, in process or out of process.</summary>
    public async Task<JsonObject> ReadHarAsync(CancellationToken ct = default) =>
        _server is not null ? _server.Har.ToHar() : await _child!.ReadHarAsync(ct).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _conditionGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        }
        finally { _conditionGate.Release(); }
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        if (_child is not null) await _child.DisposeAsync().ConfigureAwait(false);
    }
}
