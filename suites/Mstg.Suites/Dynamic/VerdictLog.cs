using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mstg.Allure.Settings;
using Mstg.Analysis.Reporting;
using Mstg.Dynamic.Judging;
using Mstg.Proxy.Certificates;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// One dynamic case as the verdicts file lists it: the cell of the known-answer matrix plus its evidence. <see cref="Findings"/>
/// is a JSON array of the shared finding model, in the shape of <c>mstg scan --format json</c> findings (docs/scan-json.md).
/// <see cref="Target"/> is there only in a run with several targets (null, so not written, with one: the file keeps its shape).
/// </summary>
public sealed record VerdictEntry(string Probe, string Requirement, string Condition, string Host, string Connection, string? How, string? Alert,
    string Outcome, string Reason, JsonElement Findings, string Evidence, string? Target = null);

/// <summary>
/// Every dynamic case's verdict, written at the end of the run as JSON (<c>dynamic-verdicts.json</c> in the Allure
/// results folder, or <see cref="DynamicSettings.VerdictsVariable"/>): what a CI script or the known-answer matrix
/// reads, with the timing of each condition and every host the app talked to.
/// </summary>
/// <param name="namesTargets">Several targets: each case and each condition's timing names its target.</param>
public sealed class VerdictLog(bool namesTargets = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentQueue<VerdictEntry> _entries = new();

    public int Count => _entries.Count;

    public void Add(string target, DynamicJudgement j, string outcome, string reason) => _entries.Enqueue(new VerdictEntry(
        j.Probe.Id, j.Probe.Requirement, j.Probe.ConditionName, j.Host,
        JsonNamingPolicy.KebabCaseLower.ConvertName(j.Verdict.Kind.ToString()),
        j.Verdict.How is { } how ? JsonNamingPolicy.KebabCaseLower.ConvertName(how.ToString()) : null, j.Verdict.Alert,
        outcome, reason, FindingsElement(j.Findings),
        DynamicJudge.EvidenceText(j.Verdict), namesTargets ? target : null));

    /// <summary>A case that ended before the judge (no device, environment problem).</summary>
    public void Add(string target, string probe, string requirement, string condition, string host, string outcome, string reason) =>
        _entries.Enqueue(new VerdictEntry(probe, requirement, condition, host, "not-run", null, null, outcome, reason, FindingsElement([]), "", namesTargets ? target : null));

    private static JsonElement FindingsElement(IReadOnlyList<Finding> findings)
    {
        using var document = JsonDocument.Parse(JsonScanReport.FindingsJson(findings));
        return document.RootElement.Clone();
    }

    public static string PathFor(string? configured) => configured is { Length: > 0 }
        ? Path.GetFullPath(configured, AppContext.BaseDirectory)
        : Path.Combine(AllureSettings.FromEnvironment(AppContext.BaseDirectory).ResultsDirectory, "dynamic-verdicts.json");

    /// <param name="windows">Every condition's window, with its target when the run has several (else null).</param>
    public void Write(string path, IReadOnlyCollection<(string? Target, ConditionWindow Window)> windows, IReadOnlyList<string> firstPartyHosts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var seen = windows.SelectMany(w => w.Window.HostsSeen).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var document = new
        {
            firstPartyHosts,
            // Reported, never added: a host the app talked to that is not configured as first-party is not tested.
            hostsSeenNotConfigured = seen.Where(h => !firstPartyHosts.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList(),
            conditions = windows.OrderBy(t => t.Target, StringComparer.Ordinal).ThenBy(t => t.Window.Condition).Select(t => new
            {
                target = t.Target,
                condition = t.Window.Condition.ToName(),
                switchMs = Math.Round(t.Window.Switch.TotalMilliseconds, 1),
                scenarioMs = Math.Round(t.Window.ScenarioTime.TotalMilliseconds, 1),
                totalMs = Math.Round(t.Window.Total.TotalMilliseconds, 1),
                scenarioPassed = t.Window.Scenario?.Passed,
                events = t.Window.Events.Count,
                hostsSeen = t.Window.HostsSeen,
            }),
            cases = _entries.OrderBy(e => e.Target, StringComparer.Ordinal).ThenBy(e => e.Probe, StringComparer.Ordinal).ThenBy(e => e.Host, StringComparer.Ordinal),
        };
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(document, Json));
        File.Move(temp, path, overwrite: true);
    }
}
