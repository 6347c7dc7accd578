using Mstg.Dynamic.Expectations;
using Mstg.Proxy.Certificates;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The assembly fixture of the dynamic suite: owns the run's proxy, the reference backend (for <c>reference:</c> targets),
/// the apps and every target's condition windows for the whole run. Nothing starts until the first dynamic case asks (a
/// static-only run never starts a proxy); a start that fails is kept and given to every case as an environment problem,
/// so one broken proxy does not cost a timeout per case.
/// <para>
/// Several targets (<c>MSTG_DYNAMIC_TARGET=reference:a;reference:b</c>) share the proxy and the backend; their apps run
/// one after another. xUnit runs the cases requirement by requirement, so the first case of a target runs that target's
/// app under every condition of the probe table at once, then stops it before the next target's app starts: each app
/// starts once, and the later cases of the target read the windows kept. With one target the app starts on first use,
/// runs each condition when a case first needs it, and stops at the end of the run (a filtered run runs only what it needs).
/// </para>
/// At the end it writes every case's verdict (<see cref="VerdictLog"/>) and stops the app, the proxy and the backend.
/// </summary>
public sealed class DynamicRun : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ConditionWindows> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DynamicEnvironmentException> _appProblems = new(StringComparer.Ordinal);
    private RunProxy? _proxy;
    private DynamicReferenceTargets? _references;
    private (string Target, RunApp App)? _current;
    private Exception? _startError;

    public DynamicRun()
    {
        Targets = DynamicSettings.TargetNames;
        Verdicts = new VerdictLog(namesTargets: SeveralTargets);
    }

    public VerdictLog Verdicts { get; }

    public IReadOnlyList<string> FirstPartyHosts { get; } = DynamicSettings.FirstPartyHosts;

    /// <summary>The targets of the run, in order (<see cref="DynamicSettings.TargetNames"/>).</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>More than one target: rows, verdicts and texts name the target.</summary>
    public bool SeveralTargets => Targets.Count > 1;

    private StaticKnowledge? _static;
    private readonly Lock _staticGate = new();

    /// <summary>The static side's ATS policy and http:// URLs of the configured app, read once from the static scans.</summary>
    public StaticKnowledge StaticKnowledgeFor(Static.StaticScans scans)
    {
        lock (_staticGate) return _static ??= StaticKnowledge.Load(scans);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The window of <paramref name="condition"/> for <paramref name="target"/>, starting the proxy and the target's app on
    /// first use. Throws <see cref="DynamicEnvironmentException"/> when they cannot run.
    /// </summary>
    public async Task<ConditionWindow> WindowAsync(string target, CertificateCondition condition, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var windows = WindowsOf(target);
            if (windows.Has(condition)) return windows.Get(condition);
            var proxy = await StartProxyAsync(ct).ConfigureAwait(false);
            var app = await AppOfAsync(target, proxy, ct).ConfigureAwait(false);
            if (!SeveralTargets)
            {
                await windows.RunAsync(condition, proxy, app, ct).ConfigureAwait(false);
                return windows.Get(condition);
            }
            // Every condition the target's cases can ask for (not those it cannot be tested under), then the app stops.
            var unsupported = DynamicCaseRunner.Unsupported();
            var all = DynamicExpectations.Conditions.Prepend(condition).Distinct().Where(c => !unsupported.Contains(c) || c == condition);
            foreach (var c in all)
                if (!windows.Has(c)) await windows.RunAsync(c, proxy, app, ct).ConfigureAwait(false);
            await StopCurrentAppAsync().ConfigureAwait(false);
            return windows.Get(condition);
        }
        finally { _gate.Release(); }
    }

    private ConditionWindows WindowsOf(string target)
    {
        if (!_windows.TryGetValue(target, out var windows))
        {
            if (!Targets.Contains(target, StringComparer.Ordinal))
                throw new DynamicEnvironmentException($"{DynamicSettings.TargetVariable}: '{target}' is not a target of this run ({string.Join(", ", Targets)})");
            _windows[target] = windows = new ConditionWindows(target);
        }
        return windows;
    }

    /// <summary>The run's proxy (and the reference backend, for reference targets), started once; a failed start is kept.</summary>
    private async Task<RunProxy> StartProxyAsync(CancellationToken ct)
    {
        if (_proxy is not null) return _proxy;
        if (_startError is not null) throw new DynamicEnvironmentException(_startError.Message, _startError);
        try
        {
            var references = DynamicSettings.ReferenceTargets;
            if (references.Count > 0)
            {
                _references = await DynamicReferenceTargets.StartAsync(references, DynamicSettings.TargetSource, ct).ConfigureAwait(false);
                _proxy = await RunProxy.StartAsync(FirstPartyHosts, ct, new ReferenceRouting(_references.HostMap, _references.RootPemPath)).ConfigureAwait(false);
            }
            else _proxy = await RunProxy.StartAsync(FirstPartyHosts, ct).ConfigureAwait(false);
            return _proxy;
        }
        catch (DynamicEnvironmentException e)
        {
            _startError = e;
            throw;
        }
    }

    /// <summary>The target's app, started when it is not the one running (that one is stopped first: one app at a time).</summary>
    private async Task<RunApp> AppOfAsync(string target, RunProxy proxy, CancellationToken ct)
    {
        if (_current is { } current && current.Target == target) return current.App;
        await StopCurrentAppAsync().ConfigureAwait(false);
        if (_appProblems.TryGetValue(target, out var problem)) throw new DynamicEnvironmentException(problem.Message, problem);
        try
        {
            var app = await RunApp.StartAsync(proxy, _references?.Get(target), ct).ConfigureAwait(false);
            _current = (target, app);
            _caTrust[target] = app.CaTrust;
            return app;
        }
        catch (DynamicEnvironmentException e)
        {
            _appProblems[target] = e;
            throw;
        }
    }

    private async Task StopCurrentAppAsync()
    {
        if (_current is not { } current) return;
        _current = null;
        await current.App.DisposeAsync().ConfigureAwait(false);
    }


    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Mstg.Dynamic.Judging.RunCaTrust> _caTrust = new(StringComparer.Ordinal);

    /// <summary>What a target's pinning cases may rest on: the user's confirmation, else what its app's driver guarantees.</summary>
    public Mstg.Dynamic.Judging.RunCaTrust CaTrustOf(string target) => DynamicSettings.RunCaTrusted
        ? Mstg.Dynamic.Judging.RunCaTrust.Confirmed
        : _caTrust.GetValueOrDefault(target, Mstg.Dynamic.Judging.RunCaTrust.Unproven);

    public async ValueTask DisposeAsync()
    {
        var done = _windows.Values.SelectMany(w => w.Done.Select(d => (Target: SeveralTargets ? w.Target : null, Window: d))).ToList();
        if (done.Count > 0 || Verdicts.Count > 0)
        {
            var path = VerdictLog.PathFor(DynamicSettings.VerdictsPath);
            try { Verdicts.Write(path, done, FirstPartyHosts); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TestContext.Current.SendDiagnosticMessage($"MSTG dynamic verdicts could not be written to {path}: {e.Message}");
            }
        }
        await StopCurrentAppAsync().ConfigureAwait(false);
        if (_proxy is not null) await _proxy.DisposeAsync().ConfigureAwait(false);
        if (_references is not null) await _references.DisposeAsync().ConfigureAwait(false);
    }
}
