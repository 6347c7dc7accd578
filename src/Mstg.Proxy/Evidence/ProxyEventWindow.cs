namespace Mstg.Proxy.Evidence;

/// <summary>
/// The events a <see cref="ProxyEventLog"/> recorded from one moment on: "the connections made while this client
/// ran", or, with a <see cref="Generation"/>, "the connections made while this condition was set" (a
/// <c>ConditionScope</c>). Live: every read sees what has arrived since. Only events the log still holds in memory
/// (its <see cref="ProxyEventLog.Capacity"/>) are seen.
/// </summary>
public sealed class ProxyEventWindow
{
    private readonly ProxyEventLog _log;

    internal ProxyEventWindow(ProxyEventLog log, long start, long? generation = null)
    {
        _log = log;
        Start = start;
        Generation = generation;
    }

    /// <summary>The log position the window starts after.</summary>
    public long Start { get; }

    /// <summary>
    /// When set, <see cref="Connections"/>, <see cref="Flows"/> and <see cref="Rejections"/> keep only events of this
    /// condition generation: connections opened under an earlier setting and closed by the switch are left out.
    /// </summary>
    public long? Generation { get; }

    /// <summary>Every event appended since the window opened, in order (the condition event of a scope included).</summary>
    public IReadOnlyList<ProxyEvent> Events => _log.Since(Start);

    public IReadOnlyList<ProxyEvent> Connections => Of(EventTypes.Connection);
    public IReadOnlyList<ProxyEvent> Flows => Of(EventTypes.Flow);
    public IReadOnlyList<ProxyEvent> Rejections => Of(EventTypes.Rejected);

    /// <summary>Waits (bounded) for an event of the window that matches, already there or still to come.</summary>
    public Task<ProxyEvent> WaitForAsync(Func<ProxyEvent, bool> match, TimeSpan timeout) =>
        _log.WaitForAsync(e => InWindow(e) && match(e), timeout, Start);

    /// <summary>Waits (bounded) for a connection event of the window, optionally one that matches.</summary>
    public Task<ProxyEvent> WaitForConnectionAsync(Func<ProxyEvent, bool>? match = null, TimeSpan? timeout = null) =>
        WaitForAsync(e => e.Type == EventTypes.Connection && (match is null || match(e)), timeout ?? TimeSpan.FromSeconds(30));

    private IReadOnlyList<ProxyEvent> Of(string type) => Events.Where(e => e.Type == type && InWindow(e)).ToList();

    private bool InWindow(ProxyEvent e) =>
        Generation is null || e.Type == EventTypes.Condition || e.ConditionGeneration == Generation;

    internal ProxyEventWindow ForGeneration(long generation) => new(_log, Start, generation);
}
