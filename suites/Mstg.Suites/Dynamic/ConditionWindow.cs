using Mstg.Devices.Scenarios;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// What happened while one condition was set: the proxy's events of the window, the scenario's result (a failing
/// scenario is expected when the app refuses: it is evidence, not the verdict), the app's log, and how long it took.
/// </summary>
public sealed record ConditionWindow(CertificateCondition Condition, IReadOnlyList<ProxyEvent> Events, ScenarioResult? Scenario, string AppLog,
    TimeSpan Switch, TimeSpan ScenarioTime, TimeSpan Total)
{
    /// <summary>Every host the app talked to in this window (connection events), for the "hosts seen" report.</summary>
    public IReadOnlyList<string> HostsSeen => Events.Where(e => e.Type == "connection" && e.Host is not null)
        .Select(e => e.Host!.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// One target's windows: the app runs once per condition and the window is kept, so every host and every table row of a
/// condition is judged on the same run (the app restarts per condition, not per case). A condition whose run hit an
/// environment problem keeps that problem, so its other cases report it without running the app again. Conditions run
/// one at a time (the caller, <see cref="DynamicRun"/>, holds the run's gate): the proxy presents one.
/// </summary>
public sealed class ConditionWindows(string target)
{
    private readonly Dictionary<CertificateCondition, ConditionWindow> _done = [];
    private readonly Dictionary<CertificateCondition, DynamicEnvironmentException> _failed = [];

    /// <summary>The target these windows are of (<see cref="DynamicSettings.TargetNames"/>).</summary>
    public string Target => target;

    /// <summary>Whether <paramref name="condition"/> was run (a window or an environment problem).</summary>
    public bool Has(CertificateCondition condition)
    {
        lock (_done) return _done.ContainsKey(condition) || _failed.ContainsKey(condition);
    }

    /// <summary>The window of a condition that was run; throws the environment problem it hit instead.</summary>
    public ConditionWindow Get(CertificateCondition condition)
    {
        lock (_done)
        {
            if (_failed.TryGetValue(condition, out var problem)) throw new DynamicEnvironmentException(problem.Message, problem);
            return _done[condition];
        }
    }

    public IReadOnlyCollection<ConditionWindow> Done
    {
        get { lock (_done) return _done.Values.ToList(); }
    }

    /// <summary>Runs <paramref name="app"/> under <paramref name="condition"/> set on <paramref name="proxy"/> and keeps the window, or the environment problem.</summary>
    public async Task RunAsync(CertificateCondition condition, RunProxy proxy, RunApp app, CancellationToken ct)
    {
        try
        {
            var window = await RunWindowAsync(condition, proxy, app, ct).ConfigureAwait(false);
            lock (_done) _done[condition] = window;
        }
        catch (DynamicEnvironmentException e)
        {
            lock (_done) _failed[condition] = e;
        }
        // Anything else a driver throws (a bug, a dead session) is kept too, as broken, so the condition's other cases do
        // not run the app again; a cancelled run is not a verdict and is left alone.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_done) _failed[condition] = new DynamicEnvironmentException($"{target}: the app failed under {condition.ToName()}: {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static async Task<ConditionWindow> RunWindowAsync(CertificateCondition condition, RunProxy proxy, RunApp app, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = proxy.EventPosition;
        ScenarioResult? scenario;
        TimeSpan switched, scenarioTime;
        await using (await proxy.UseConditionAsync(condition, ct).ConfigureAwait(false))
        {
            switched = clock.Elapsed;
            scenario = await app.RunAsync(ct).ConfigureAwait(false);
            await app.StopAsync(ct).ConfigureAwait(false);
            scenarioTime = clock.Elapsed - switched;
            await proxy.WaitForConnectionAsync(before, condition, DynamicSettings.TrafficWait).ConfigureAwait(false);
            await proxy.SettleAsync(DynamicSettings.Settle, ct).ConfigureAwait(false);
        }
        // Connections still open when passthrough came back were closed by the swap; their events carry this condition.
        await proxy.SettleAsync(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        var log = await app.LogAsync(ct).ConfigureAwait(false);
        return new ConditionWindow(condition, proxy.Since(before), scenario, log, switched, scenarioTime, clock.Elapsed);
    }
}
