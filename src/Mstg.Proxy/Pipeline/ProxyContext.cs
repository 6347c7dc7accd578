using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Proxy.Pipeline;

/// <summary>What every stage of the pipeline shares for one running proxy.</summary>
internal sealed class ProxyContext(ProxyOptions options, RunCertificateAuthority ca, ProxyEventLog events, TimeProvider time, LoopGuard loop, Redactor redactor)
{
    public ProxyOptions Options { get; } = options;
    public RunCertificateAuthority Ca { get; } = ca;
    public LeafCertificateFactory Leaves { get; } = new(ca, options.LeafCacheCapacity, time);
    public ProxyEventLog Events { get; } = events;
    /// <summary>The one redactor every stage uses, so a custom <see cref="ProxyOptions.Redaction"/> applies everywhere.</summary>
    public Redactor Redactor { get; } = redactor;
    public HarRecorder Har { get; } = new(redactor);
    public ScopeMatcher Scope { get; } = new(options.Scope);
    public UpstreamConnector Upstream { get; } = new(options, loop);
    public LoopGuard Loop { get; } = loop;
    public UpstreamPool UpstreamPool { get; } = new(options.UpstreamIdleTimeout, time);
    public TimeProvider Time { get; } = time;
    public ConditionSwitch Condition { get; } = new(options.Condition);
}

/// <summary>
/// The current condition plus a token that is cancelled when it changes, so in-scope connections opened under
/// the old condition are closed and the client's next connection meets the new one. Each change starts a new
/// generation (1 is the condition the proxy started with); events carry it, so a test can take exactly the
/// connections made under one setting of a condition (<see cref="ProxyEvent.ConditionGeneration"/>).
/// </summary>
internal sealed class ConditionSwitch(CertificateCondition initial)
{
    private readonly object _gate = new();
    private CancellationTokenSource _cancel = new();

    public CertificateCondition Current { get { lock (_gate) return _current; } }
    private CertificateCondition _current = initial;

    public long Generation { get { lock (_gate) return _generation; } }
    private long _generation = 1;

    public (CertificateCondition Condition, long Generation, CancellationToken Changed) Snapshot()
    {
        lock (_gate) return (_current, _generation, _cancel.Token);
    }

    /// <summary>Switches and returns the new generation.</summary>
    public long Set(CertificateCondition condition)
    {
        CancellationTokenSource old;
        long generation;
        lock (_gate)
        {
            _current = condition;
            generation = ++_generation;
            old = _cancel;
            _cancel = new CancellationTokenSource();
        }
        old.Cancel();
        old.Dispose();
        return generation;
    }
}
