using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Proxy;

/// <summary>
/// One condition set for a stretch of a test (<see cref="ProxyHost.UseConditionAsync"/>): what happened under it,
/// and the previous condition put back when it is disposed, whether the test passed or threw.
/// <code>
/// await using (var scope = await proxy.UseConditionAsync(CertificateCondition.UntrustedCa))
/// {
///     await app.OpenAsync();
///     scope.Connections.Should().OnlyContain(c => c.Outcome == ConnectionOutcome.Refused);
/// }
/// </code>
/// </summary>
public sealed class ConditionScope : IAsyncDisposable
{
    private readonly ProxyHost _host;
    private int _restored;

    internal ConditionScope(ProxyHost host, CertificateCondition condition, CertificateCondition previous, ProxyEventWindow window)
    {
        _host = host;
        Condition = condition;
        Previous = previous;
        Window = window;
    }

    /// <summary>The proxy the condition is set on.</summary>
    public ProxyHost Proxy => _host;
    public CertificateCondition Condition { get; }
    public ConditionDescriptor Descriptor => ConditionCatalog.For(Condition);
    /// <summary>The condition put back at the end.</summary>
    public CertificateCondition Previous { get; }
    /// <summary>The condition generation this scope set (carried by every connection made under it).</summary>
    public long Generation => Window.Generation!.Value;
    public ProxyEventWindow Window { get; }

    /// <summary>Every event since the scope began, the "condition" event that started it first.</summary>
    public IReadOnlyList<ProxyEvent> Events => Window.Events;
    /// <summary>The connections made under this scope's condition (not those it closed).</summary>
    public IReadOnlyList<ProxyEvent> Connections => Window.Connections;
    public IReadOnlyList<ProxyEvent> Flows => Window.Flows;

    public Task<ProxyEvent> WaitForConnectionAsync(Func<ProxyEvent, bool>? match = null, TimeSpan? timeout = null) =>
        Window.WaitForConnectionAsync(match, timeout);

    /// <summary>Puts <see cref="Previous"/> back (once; nothing to do when the proxy itself was disposed first).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1 || _host.IsDisposed) return;
        try { await _host.SetConditionAsync(Previous).ConfigureAwait(false); }
        catch (ObjectDisposedException) { } // the proxy stopped meanwhile: nothing left to restore
    }
}
