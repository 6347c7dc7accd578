using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mstg.Proxy.Evidence;

/// <summary>
/// The in-memory, observable list of events a fixture reads, optionally mirrored to a JSON-lines file.
/// Bounded: beyond <see cref="Capacity"/> the oldest events are dropped from memory (the file keeps them).
/// </summary>
public sealed class ProxyEventLog : IObservable<ProxyEvent>, IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly object _gate = new();
    private readonly LinkedList<(long Position, ProxyEvent Event)> _events = new();
    private readonly List<IObserver<ProxyEvent>> _observers = [];
    private readonly StreamWriter? _file;
    private long _nextId;
    private long _appended;

    private readonly Redactor _redactor;

    /// <param name="redactor">Applied to every event's URL and detail before it is kept, written or observed; redacts by default.</param>
    public ProxyEventLog(string? jsonLinesPath = null, int capacity = 100_000, Redactor? redactor = null)
    {
        Capacity = capacity;
        _redactor = redactor ?? new Redactor();
        if (jsonLinesPath is not null)
            _file = new StreamWriter(new FileStream(jsonLinesPath, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public int Capacity { get; }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public IReadOnlyList<ProxyEvent> Snapshot()
    {
        lock (_gate) return _events.Select(e => e.Event).ToList();
    }

    /// <summary>How many events were appended so far: a mark that <see cref="Since"/> and <see cref="OpenWindow"/> start after.</summary>
    public long Position { get { lock (_gate) return _appended; } }

    /// <summary>The events appended after <paramref name="position"/> (a value of <see cref="Position"/>) still in memory, in order.</summary>
    public IReadOnlyList<ProxyEvent> Since(long position)
    {
        lock (_gate) return _events.Where(e => e.Position > position).Select(e => e.Event).ToList();
    }

    /// <summary>A window on the events appended from now on (e.g. "what happened while this client ran").</summary>
    public ProxyEventWindow OpenWindow() => new(this, Position);

    public void Append(ProxyEvent e)
    {
        // The one place every event passes: whatever a pipeline stage put in Url or Detail, secrets do not get further.
        e = e with { Url = e.Url is null ? null : _redactor.Url(e.Url), Detail = e.Detail is null ? null : _redactor.FreeText(e.Detail) };
        IObserver<ProxyEvent>[] observers;
        lock (_gate)
        {
            _events.AddLast((++_appended, e));
            if (_events.Count > Capacity) _events.RemoveFirst();
            _file?.WriteLine(JsonSerializer.Serialize(e, Json));
            observers = [.. _observers];
        }
        foreach (var o in observers) o.OnNext(e);
    }

    /// <summary>Waits until an event matching <paramref name="match"/> exists (already or later).</summary>
    public Task<ProxyEvent> WaitForAsync(Func<ProxyEvent, bool> match, TimeSpan timeout) => WaitForAsync(match, timeout, after: 0);

    /// <summary>Waits until an event matching <paramref name="match"/> was appended after <paramref name="after"/> (a <see cref="Position"/>).</summary>
    public async Task<ProxyEvent> WaitForAsync(Func<ProxyEvent, bool> match, TimeSpan timeout, long after)
    {
        var tcs = new TaskCompletionSource<ProxyEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = Subscribe(new Observer(e => { if (match(e)) tcs.TrySetResult(e); }));
        var existing = Since(after).FirstOrDefault(match);
        if (existing is not null) return existing;
        var done = await Task.WhenAny(tcs.Task, Task.Delay(timeout)).ConfigureAwait(false);
        if (done != tcs.Task)
            throw new TimeoutException($"no matching proxy event within {timeout.TotalSeconds} s; last: " +
                string.Join(" | ", Snapshot().TakeLast(3).Select(x => JsonSerializer.Serialize(x, Json))));
        return await tcs.Task.ConfigureAwait(false);
    }

    public IDisposable Subscribe(IObserver<ProxyEvent> observer)
    {
        lock (_gate) _observers.Add(observer);
        return new Unsubscriber(() => { lock (_gate) _observers.Remove(observer); });
    }

    public void Dispose()
    {
        lock (_gate) _file?.Dispose();
    }

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private sealed class Observer(Action<ProxyEvent> next) : IObserver<ProxyEvent>
    {
        public void OnNext(ProxyEvent value) => next(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
