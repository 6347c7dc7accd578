using Mstg.Tls;
using System.Net;
using System.Net.Sockets;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// The in-process proxy: accepts sockets and hands each to a <see cref="ClientConnection"/>, which walks the
/// pipeline accept → sniff → decide → tunnel or intercept → record.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly ProxyContext _ctx;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Task> _connections = [];
    private Task? _acceptLoop;

    /// <param name="time">Clock for idle and expiry timers (the upstream pool's sweep, the leaf cache) and the run CA's validity; tests pass one they move.</param>
    public ProxyServer(ProxyOptions options, RunCertificateAuthority? ca = null, ProxyEventLog? events = null, TimeProvider? time = null)
    {
        if (!IPAddress.IsLoopback(options.Listen.Address) && !options.AllowNonLoopback)
            throw new MstgInputException("proxy options", "listen", $"{options.Listen} is not loopback; pass AllowNonLoopback (--allow-remote) to bind it");
        if (options.AllowNonLoopback && !IPAddress.IsLoopback(options.Listen.Address) &&
            (options.ProxyCredentials is null || string.IsNullOrEmpty(options.ProxyCredentials.UserName) || string.IsNullOrEmpty(options.ProxyCredentials.Password)))
            throw new MstgInputException("proxy options", "listen", "a non-loopback proxy needs proxy credentials with a non-empty user and password (--auth user:password)");
        if (options.Condition.NeedsLegacyOpenSsl() && !LegacyOpenSsl.IsActive)
            throw new MstgInputException("proxy options", "condition", LegacyOpenSsl.Explain($"condition {options.Condition.ToName()}"));
        if (options.LeafCacheCapacity < 1)
            throw new MstgInputException("proxy options", "LeafCacheCapacity", $"{options.LeafCacheCapacity} must be at least 1");
        if (options.UpstreamIdleTimeout <= TimeSpan.Zero)
            throw new MstgInputException("proxy options", "UpstreamIdleTimeout", $"{options.UpstreamIdleTimeout} must be positive");
        if ((options.CaCertificatePath is null) != (options.CaKeyPath is null))
            throw new MstgInputException("proxy options", "CA", "give both the CA certificate and its key, or neither");
        time ??= TimeProvider.System;
        // The run CA is dated by the same clock as the leaves it signs, so a test that moves the clock gets a chain
        // that is valid at the moved time, not a CA from the real today and leaves from another day.
        var authority = ca ?? (options.CaCertificatePath is { } certPath
            ? RunCertificateAuthority.Load(certPath, options.CaKeyPath!)
            : RunCertificateAuthority.Create(options.CaCommonName, options.Scope, time.GetUtcNow()));
        // One redactor for the event log, the HAR and every stage, so a custom ProxyOptions.Redaction applies everywhere.
        var redactor = new Redactor(options.Redact, options.Redaction);
        _ctx = new ProxyContext(options, authority, events ?? new ProxyEventLog(options.EventsPath, redactor: redactor), time, new LoopGuard(), redactor);
        _listener = new TcpListener(options.Listen);
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;
    public RunCertificateAuthority Ca => _ctx.Ca;
    public ProxyEventLog Events => _ctx.Events;
    public HarRecorder Har => _ctx.Har;
    public CertificateCondition Condition => _ctx.Condition.Current;
    public LeafCertificateFactory Leaves => _ctx.Leaves;
    /// <summary>Origin connections idle in the pool right now.</summary>
    public int IdleUpstreamConnections => _ctx.UpstreamPool.IdleCount;

    public void Start()
    {
        _listener.Start(backlog: 4096);
        _ctx.Loop.SetListening(Endpoint);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>
    /// Applies to new connections; open in-scope connections are closed so clients reconnect under it. Returns the
    /// "condition" event it recorded, whose <see cref="ProxyEvent.ConditionGeneration"/> the connections made under
    /// this setting carry.
    /// </summary>
    public ProxyEvent SetCondition(CertificateCondition condition)
    {
        if (condition.NeedsLegacyOpenSsl() && !LegacyOpenSsl.IsActive)
            throw new InvalidOperationException(LegacyOpenSsl.Explain($"condition {condition.ToName()}"));
        lock (_conditionGate)
        {
            // One at a time, so the condition events appear in the order of the generations they start.
            var generation = _ctx.Condition.Set(condition);
            var evt = new ProxyEvent
            {
                Id = _ctx.Events.NextId(), Time = DateTimeOffset.UtcNow, Type = EventTypes.Condition, Condition = condition.ToName(),
                ConditionGeneration = generation,
            };
            _ctx.Events.Append(evt);
            return evt;
        }
    }

    private readonly object _conditionGate = new();

    /// <summary>The current condition's generation (1 = the one the proxy started with).</summary>
    public long ConditionGeneration => _ctx.Condition.Generation;

    private async Task AcceptLoopAsync()
    {
        using var slots = new SemaphoreSlim(_ctx.Options.MaxConnections);
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                await slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            // Stopping between the slot wait and the accept: the listener is already stopped ("Not listening").
            catch (InvalidOperationException) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { slots.Release(); continue; } // a client that vanished between SYN and accept
            socket.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            if (_ctx.Loop.IsOwnUpstream(socket.RemoteEndPoint))
            {
                RefuseLoop(socket);
                slots.Release();
                continue;
            }
            var task = new ClientConnection(_ctx, socket).RunAsync(_stop.Token);
            lock (_connections) _connections.Add(task);
            _ = task.ContinueWith(t =>
            {
                lock (_connections) _connections.Remove(t);
                try { slots.Release(); } catch (ObjectDisposedException) { } // the server stopped first
            }, TaskScheduler.Default);
        }
    }

    public int OpenConnections { get { lock (_connections) return _connections.Count; } }

    /// <summary>Client connections accepted since start (a loop check proves with it that nothing connected).</summary>
    public long AcceptedConnections => Interlocked.Read(ref _accepted);
    private long _accepted;

    /// <summary>
    /// The peer is one of this proxy's own origin sockets: a transparent redirect caught the proxy's own traffic.
    /// Serving it would open yet another origin connection, caught again, until every slot is taken.
    /// </summary>
    private void RefuseLoop(Socket socket)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        socket.Dispose();
        _ctx.Events.Append(new ProxyEvent
        {
            Id = _ctx.Events.NextId(), Time = DateTimeOffset.UtcNow, Type = "connection", Outcome = ConnectionOutcome.Error,
            Client = peer, Condition = _ctx.Condition.Current.ToName(), ConditionGeneration = _ctx.Condition.Generation,
            Detail = $"loop detected: the connection comes from this proxy's own upstream socket {peer}; exclude the proxy's traffic from the redirect",
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_ctx.Options.HarPath is { } har) _ctx.Har.Write(har);
        await _ctx.UpstreamPool.DisposeAsync().ConfigureAwait(false);
        _ctx.Leaves.Dispose();
        _ctx.Events.Dispose();
        _stop.Dispose();
    }
}
