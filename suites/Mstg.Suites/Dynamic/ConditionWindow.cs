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
/// Runs the app once per condition and keeps the window, so every host and every table row of a condition is judged on
/// the same run (the app restarts per condition, not per case). Conditions run one at a time: the proxy presents one.
/// </summary>
public sealed class ConditionWindows(RunProxy proxy, RunApp app)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<CertificateCondition, ConditionWindow> _done = [];

    public async Task<ConditionWindow> GetAsync(CertificateCondition condition, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_done) if (_done.TryGetValue(condition, out var known)) return known;
            var window = await RunAsync(condition, ct).ConfigureAwait(false);
            lock (_done) _done[condition] = window;
            return window;
        }
        finally { _gate.Release(); }
    }

    public IReadOnlyCollection<ConditionWindow> Done
    {
        get { lock (_done) return _done.Values.ToList(); }
    }

    private async Task<ConditionWindow> RunAsync(CertificateCondition condition, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = proxy.LastEventId;
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
