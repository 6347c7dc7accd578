using System.Text.Json;
using Mstg.Allure.Runtime;
using Mstg.Analysis.Reporting;
using Mstg.Dynamic.Judging;
using Mstg.Dynamic.Verdicts;
using Mstg.Proxy.Evidence;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// Puts a dynamic case's evidence into the report: the verdict and the handshake summary in the test output (any runner)
/// and in Allure as a step per finding, the handshake summary, the HAR slice of the host's flows, the window's events
/// for the host, the scenario's steps (with the screenshot of a failing step) and the findings as JSON.
/// </summary>
internal static class DynamicEvidence
{
    /// <param name="target">The target's name in a run with several (the evidence says which app it is of), else null.</param>
    public static void Record(DynamicJudgement j, ConditionWindow window, string staticNote, string? target = null)
    {
        var output = TestContext.Current.TestOutputHelper;
        if (target is not null) output?.WriteLine($"Target: {target}");
        output?.WriteLine($"{j.Probe.Requirement} {j.Probe.Id}: the app{(target is null ? "" : $" ({target})")} must {j.Probe.ClientMustDo}.");
        output?.WriteLine($"Verdict: {j.Verdict.Describe()} → {j.Outcome}: {j.Reason}");
        output?.WriteLine($"Static cross-check: {staticNote}");
        var summary = DynamicJudge.EvidenceText(j.Verdict);
        output?.WriteLine(summary.Length == 0 ? "No connection to the host in the window." : summary);
        if (window.Scenario is { } scenario)
            output?.WriteLine($"Scenario {scenario.Scenario.Name}: {(scenario.Passed ? "passed" : $"failed at {scenario.FirstFailure?.Name}: {scenario.FirstFailure?.Error}")} " +
                              "(a refusing app often fails its scenario: that is evidence, not the verdict)");
        output?.WriteLine($"Condition switch {window.Switch.TotalMilliseconds:0} ms, scenario {window.ScenarioTime.TotalMilliseconds:0} ms; hosts seen: {string.Join(", ", window.HostsSeen)}");

        foreach (var f in j.Findings)
        {
            using var step = AllureApi.Step($"{f.Verdict.ToString().ToUpperInvariant()} {f.RuleId} {f.Subject.Display}");
            if (f.Evidence is { Length: > 0 }) AllureApi.AttachText("evidence", f.Evidence);
            if (f.Verdict == Verdict.Fail) step.Fail(new Xunit.Sdk.XunitException(f.Message));
        }
        AllureApi.Parameter("host", j.Host);
        AllureApi.Parameter("condition", j.Probe.ConditionName);
        AllureApi.Parameter("profile", Configuration.SuiteSettings.Profile.ToString());
        AllureApi.Label("rule", j.Probe.RuleId);
        AllureApi.AttachText("handshake summary", $"{(target is null ? "" : $"target {target}\n")}{j.Verdict.Describe()}\n{summary}");
        var hostEvents = window.Events.Where(e => j.Host == DynamicJudge.AnyHost || ConnectionClassifier.HostMatches(e.Host, j.Host) || e.Type == "condition").ToList();
        AllureApi.AttachText("proxy events.jsonl", string.Join("\n", hostEvents.Select(e => JsonSerializer.Serialize(e, ProxyEventLog.Json))));
        if (HarSlice(hostEvents) is { } har) AllureApi.AttachHar("flows.har", har);
        if (window.Scenario?.FirstFailure is { Screenshot: { } png }) AllureApi.AttachPng("screenshot at the failing step", png);
        if (window.AppLog.Length > 0) AllureApi.AttachText("app log", window.AppLog.Length > 65536 ? window.AppLog[..65536] : window.AppLog);
        // The shared finding model in the scan report's shape: the same fields as mstg scan --format json findings.
        AllureApi.AttachJson("findings.json", JsonScanReport.FindingsJson(j.Findings));
    }

    /// <summary>
    /// A HAR 1.2 document of the host's flows in the window (method, URL, status, time), built from the proxy's flow
    /// events, so it is the same whether the proxy ran in or out of process. Null when no request was seen.
    /// </summary>
    internal static string? HarSlice(IReadOnlyList<ProxyEvent> events)
    {
        var flows = events.Where(e => e.Type == "flow" && e.Url is not null).ToList();
        var cleartext = events.Where(e => e.Type == "connection" && e.Outcome == ConnectionOutcome.Cleartext && e.Url is not null && !flows.Any(f => f.ConnectionId == e.Id));
        var entries = flows.Concat(cleartext).OrderBy(e => e.Time).Select(e => new
        {
            startedDateTime = e.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            time = e.DurationMs ?? 0,
            request = new { method = e.Method ?? "GET", url = e.Url, httpVersion = "HTTP/1.1", headers = Array.Empty<object>(), queryString = Array.Empty<object>(), cookies = Array.Empty<object>(), headersSize = -1, bodySize = -1 },
            response = new { status = e.Status ?? 0, statusText = "", httpVersion = "HTTP/1.1", headers = Array.Empty<object>(), cookies = Array.Empty<object>(), content = new { size = -1, mimeType = "" }, redirectURL = "", headersSize = -1, bodySize = -1 },
            cache = new { },
            timings = new { send = 0, wait = e.DurationMs ?? 0, receive = 0 },
            comment = $"proxy event #{e.Id}, condition {e.Condition}",
        }).ToList();
        if (entries.Count == 0) return null;
        return JsonSerializer.Serialize(new { log = new { version = "1.2", creator = new { name = "MstgTests dynamic suite", version = "1" }, entries } },
            new JsonSerializerOptions { WriteIndented = true });
    }
}
