namespace Mstg.Suites.Dynamic;

/// <summary>
/// The assembly fixture of the dynamic suite: owns the run's proxy, the app and the condition windows for the whole run.
/// Nothing starts until the first dynamic case asks (a static-only run never starts a proxy); a start that fails is kept
/// and given to every case as an environment problem, so one broken proxy does not cost a timeout per case.
/// At the end it writes every case's verdict (<see cref="VerdictLog"/>) and stops the app, then the proxy.
/// </summary>
public sealed class DynamicRun : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RunProxy? _proxy;
    private RunApp? _app;
    private DynamicReferenceTarget? _reference;
    private ConditionWindows? _windows;
    private Exception? _startError;

    public VerdictLog Verdicts { get; } = new();

    public IReadOnlyList<string> FirstPartyHosts { get; } = DynamicSettings.FirstPartyHosts;

    private StaticKnowledge? _static;
    private readonly Lock _staticGate = new();

    /// <summary>The static side's ATS policy and http:// URLs of the configured app, read once from the static scans.</summary>
    public StaticKnowledge StaticKnowledgeFor(Static.StaticScans scans)
    {
        lock (_staticGate) return _static ??= StaticKnowledge.Load(scans);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>The windows, starting the proxy and the app on first use. Throws <see cref="DynamicEnvironmentException"/> when they cannot run.</summary>
    public async Task<ConditionWindows> WindowsAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_windows is not null) return _windows;
            if (_startError is not null) throw new DynamicEnvironmentException(_startError.Message, _startError);
            try
            {
                if (DynamicSettings.ReferenceTarget is { } target)
                {
                    _reference = await DynamicReferenceTarget.StartAsync(target, ct).ConfigureAwait(false);
                    _proxy = await RunProxy.StartAsync(FirstPartyHosts, ct, new ReferenceRouting(_reference.HostMap, _reference.RootPemPath)).ConfigureAwait(false);
                }
                else _proxy = await RunProxy.StartAsync(FirstPartyHosts, ct).ConfigureAwait(false);
                _app = await RunApp.StartAsync(_proxy, _reference, ct).ConfigureAwait(false);
                return _windows = new ConditionWindows(_proxy, _app);
            }
            catch (DynamicEnvironmentException e)
            {
                _startError = e;
                throw;
            }
        }
        finally { _gate.Release(); }
    }

    public RunProxy? Proxy => _proxy;

    /// <summary>What the pinning cases may rest on: the user's confirmation, else what the app's driver guarantees.</summary>
    public Mstg.Dynamic.Judging.RunCaTrust CaTrust => DynamicSettings.RunCaTrusted
        ? Mstg.Dynamic.Judging.RunCaTrust.Confirmed
        : _app?.CaTrust ?? Mstg.Dynamic.Judging.RunCaTrust.Unproven;

    public async ValueTask DisposeAsync()
    {
        if (_windows is not null || Verdicts.Count > 0)
        {
            var path = VerdictLog.PathFor(DynamicSettings.VerdictsPath);
            try { Verdicts.Write(path, _windows?.Done ?? [], FirstPartyHosts); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TestContext.Current.SendDiagnosticMessage($"MSTG dynamic verdicts could not be written to {path}: {e.Message}");
            }
        }
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
        if (_proxy is not null) await _proxy.DisposeAsync().ConfigureAwait(false);
        if (_reference is not null) await _reference.DisposeAsync().ConfigureAwait(false);
    }
}
