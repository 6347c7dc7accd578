using System.Net.Sockets;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Pipeline;

/// <summary>An open connection to an origin (TCP, or TLS over it) with its response reader.</summary>
internal sealed class UpstreamConnection(NetworkStream tcp, Stream stream, HttpMessageReader reader, string address) : IAsyncDisposable
{
    public Stream Stream { get; } = stream;
    public HttpMessageReader Reader { get; } = reader;
    public string Address { get; } = address;
    /// <summary>When it went back to the pool, in the pool's TimeProvider timestamps.</summary>
    public long IdleSince { get; set; }

    /// <summary>An idle keep-alive connection is usable if the origin has neither closed it nor sent anything unasked.</summary>
    public bool LooksAlive()
    {
        try
        {
            return Reader.Buffered.IsEmpty && !tcp.Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}

/// <summary>
/// Idle origin connections kept after a client connection ends, so clients that open a connection per request
/// (common in apps, and the handshake-bound benchmark) cost one TLS handshake instead of two. Bounded per origin
/// and by idle age: a timer closes connections idle longer than the timeout, so an origin is not left holding
/// sockets nobody will use; anything doubtful at rent time is closed rather than reused.
/// </summary>
internal sealed class UpstreamPool : IAsyncDisposable
{
    public const int MaxIdlePerOrigin = 32;
    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<UpstreamConnection>> _idle = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _sweeper;
    private bool _disposed;

    public UpstreamPool(TimeSpan idleTimeout, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _idleTimeout = idleTimeout;
        // Twice per timeout: a connection is closed at most 1.5 timeouts after its last use.
        var period = idleTimeout / 2 > TimeSpan.Zero ? idleTimeout / 2 : TimeSpan.FromSeconds(1);
        _sweeper = _time.CreateTimer(_ => Sweep(), null, period, period);
    }

    public static string Key(bool tls, string host, int port, System.Net.IPEndPoint? originalDestination) =>
        $"{(tls ? "https" : "http")}|{host}|{port}|{originalDestination}";

    /// <summary>Idle connections held right now, all origins together.</summary>
    public int IdleCount
    {
        get { lock (_gate) return _idle.Values.Sum(q => q.Count); }
    }

    public UpstreamConnection? Rent(string key)
    {
        var doomed = new List<UpstreamConnection>();
        UpstreamConnection? found = null;
        lock (_gate)
        {
            if (_idle.TryGetValue(key, out var queue))
            {
                while (queue.TryDequeue(out var connection))
                {
                    if (Usable(connection)) { found = connection; break; }
                    doomed.Add(connection);
                }
                if (queue.Count == 0) _idle.Remove(key);
            }
        }
        foreach (var c in doomed) _ = c.DisposeAsync();
        return found;
    }

    public void Return(string key, UpstreamConnection connection)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                if (!_idle.TryGetValue(key, out var queue)) _idle[key] = queue = new Queue<UpstreamConnection>();
                if (queue.Count < MaxIdlePerOrigin)
                {
                    connection.IdleSince = _time.GetTimestamp();
                    queue.Enqueue(connection);
                    return;
                }
            }
        }
        _ = connection.DisposeAsync();
    }

    /// <summary>Closes every idle connection past the timeout or closed by its origin; returns how many.</summary>
    public int Sweep()
    {
        var doomed = new List<UpstreamConnection>();
        lock (_gate)
        {
            foreach (var (key, queue) in _idle.ToList())
            {
                var keep = queue.Where(Usable).ToList();
                doomed.AddRange(queue.Except(keep));
                if (keep.Count == 0) _idle.Remove(key);
                else _idle[key] = new Queue<UpstreamConnection>(keep);
            }
        }
        foreach (var c in doomed) _ = c.DisposeAsync();
        return doomed.Count;
    }

    private bool Usable(UpstreamConnection connection) =>
        _time.GetElapsedTime(connection.IdleSince) < _idleTimeout && connection.LooksAlive();

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        List<UpstreamConnection> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _idle.Values.SelectMany(q => q)];
            _idle.Clear();
        }
        foreach (var c in all) await c.DisposeAsync().ConfigureAwait(false);
    }
}
