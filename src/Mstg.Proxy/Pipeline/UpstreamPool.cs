using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Pipeline;

/// <summary>An open connection to an origin (TCP, or TLS over it) with its response reader.</summary>
internal sealed class UpstreamConnection(NetworkStream tcp, Stream stream, HttpMessageReader reader, string address) : IAsyncDisposable
{
    public Stream Stream { get; } = stream;
    public HttpMessageReader Reader { get; } = reader;
    public string Address { get; } = address;
    public long IdleSince { get; set; } = Stopwatch.GetTimestamp();

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
/// and by idle age; anything doubtful is closed rather than reused.
/// </summary>
internal sealed class UpstreamPool : IAsyncDisposable
{
    private const int MaxIdlePerOrigin = 32;
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<UpstreamConnection>> _idle = new();
    private volatile bool _disposed;

    public static string Key(bool tls, string host, int port, System.Net.IPEndPoint? originalDestination) =>
        $"{(tls ? "https" : "http")}|{host}|{port}|{originalDestination}";

    public UpstreamConnection? Rent(string key)
    {
        if (!_idle.TryGetValue(key, out var queue)) return null;
        while (queue.TryDequeue(out var connection))
        {
            if (Stopwatch.GetElapsedTime(connection.IdleSince) < MaxIdle && connection.LooksAlive()) return connection;
            _ = connection.DisposeAsync();
        }
        return null;
    }

    public void Return(string key, UpstreamConnection connection)
    {
        var queue = _idle.GetOrAdd(key, _ => new ConcurrentQueue<UpstreamConnection>());
        if (_disposed || queue.Count >= MaxIdlePerOrigin)
        {
            _ = connection.DisposeAsync();
            return;
        }
        connection.IdleSince = Stopwatch.GetTimestamp();
        queue.Enqueue(connection);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var queue in _idle.Values)
            while (queue.TryDequeue(out var c)) await c.DisposeAsync().ConfigureAwait(false);
    }
}
