using System.Collections.Concurrent;
using System.Text.Json;
using Mstg.Allure.Xunit.Attributes;

namespace Mstg.Suites.Run;

/// <summary>How one requirement test ended, as the run summary counts it.</summary>
public enum TestOutcome { Passed, PassedWithWarnings, Failed, Skipped, EnvironmentError }

/// <summary>
/// What the requirement tests of this process found, for the closing console lines and <c>mstg-run.json</c>: the
/// run's one outcome a CI script can branch on (dotnet test has only exit 0 or 1), and every warning a passing test
/// carried, so a warning is never hidden inside a pass.
/// </summary>
public static class RunLog
{
    private static readonly ConcurrentQueue<(string Test, TestOutcome Outcome, IReadOnlyList<string> Warnings, string? Requirement, CheckKind? Kind)> Entries = new();

    /// <summary>
    /// Records how a requirement test ended. Its requirement and kind (for the summary table) are read from the running
    /// test's <c>Requirement</c> and <c>Kind</c> traits unless given.
    /// </summary>
    public static void Record(string test, TestOutcome outcome, IReadOnlyList<string>? warnings = null, string? requirement = null, CheckKind? kind = null)
    {
        var traits = TestContext.Current.Test?.Traits;
        requirement ??= traits?.GetValueOrDefault(MstgRequirementAttribute.RequirementTrait)?.FirstOrDefault();
        // The Kind trait holds the check kind and may add "manual" (MSTG-NETWORK-5): the check kind is the one that counts.
        var kinds = traits?.GetValueOrDefault(MstgRequirementAttribute.KindTrait) ?? [];
        kind ??= Enum.GetValues<CheckKind>().Where(k => kinds.Contains(k.Name())).Cast<CheckKind?>().FirstOrDefault();
        Entries.Enqueue((test, outcome, warnings ?? [], requirement, kind));
    }

    /// <summary>The summary table: requirement × kind (<see cref="RunTable"/>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Table() =>
        RunTable.Build(Entries.Select(e => (e.Requirement, e.Kind, e.Outcome)));

    /// <summary>
    /// <c>environment-error</c> (the app or the configuration is broken: nothing was shown about the app),
    /// <c>failed</c>, <c>nothing-tested</c> (no app, MSTG_ALLOW_NO_APP=1, and no dynamic or server test passed), or <c>passed</c>.
    /// A dynamic-only or server-only run has no app: its passing tests are what it tested.
    /// </summary>
    public static string Outcome()
    {
        if (RunDescription.Problem is not null || Entries.Any(e => e.Outcome == TestOutcome.EnvironmentError)) return "environment-error";
        if (Entries.Any(e => e.Outcome == TestOutcome.Failed)) return "failed";
        if (Static.SuiteApps.All.Count == 0 && !Entries.Any(e => e.Kind is CheckKind.Dynamic or CheckKind.Server && e.Outcome is TestOutcome.Passed or TestOutcome.PassedWithWarnings))
            return "nothing-tested";
        return "passed";
    }

    /// <summary>The closing lines: one per passing test that carried warnings, then the outcome.</summary>
    public static IEnumerable<string> ClosingLines()
    {
        var warned = Entries.Where(e => e.Outcome == TestOutcome.PassedWithWarnings).OrderBy(e => e.Test, StringComparer.Ordinal).ToList();
        if (warned.Count > 0)
        {
            yield return $"MSTG warnings: {warned.Count} passed test(s) carry warnings (Allure tag 'has-warnings'):";
            foreach (var (test, _, warnings, _, _) in warned)
                foreach (var w in warnings) yield return $"  WARN {test}: {w}";
        }
        foreach (var line in RunTable.Lines(Table())) yield return line;
        var counts = Entries.GroupBy(e => e.Outcome).ToDictionary(g => g.Key, g => g.Count());
        int Count(TestOutcome o) => counts.GetValueOrDefault(o);
        yield return $"MSTG outcome: {Outcome()} ({Count(TestOutcome.Passed) + Count(TestOutcome.PassedWithWarnings)} passed, " +
                     $"{Count(TestOutcome.PassedWithWarnings)} of them with warnings, {Count(TestOutcome.Failed)} failed, " +
                     $"{Count(TestOutcome.Skipped)} skipped, {Count(TestOutcome.EnvironmentError)} not tested)" +
                     (RunDescription.Problem is { } problem ? $": {problem}" : "");
    }

    /// <summary>Writes <c>mstg-run.json</c>: the outcome, the app identities, the settings and the warnings.</summary>
    public static void WriteSummary(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var summary = new
        {
            outcome = Outcome(),
            problem = RunDescription.Problem,
            title = RunDescription.Title(),
            apps = Static.SuiteApps.All.Select(a => new { key = a.Key, bundleId = a.BundleId, version = a.Version, build = a.Build, file = a.FileName, sha256 = a.Sha256, error = a.Error }),
            profile = Configuration.SuiteSettings.ProfileSetting.Value,
            // The waiver file, the tests it waived, its expired and stale entries (docs/waivers.md); null without one.
            waivers = Waivers.SuiteWaivers.Summary(),
            // requirement -> { static, dynamic, server } -> "pass 3/3" | "fail 1/3" | "skip 2/2" | "broken 1/1" | "-"
            table = Table(),
            tests = Entries.OrderBy(e => e.Test, StringComparer.Ordinal).Select(e => new
            {
                name = e.Test,
                outcome = JsonNamingPolicy.KebabCaseLower.ConvertName(e.Outcome.ToString()),
                requirement = e.Requirement,
                kind = e.Kind?.Name(),
                warnings = e.Warnings,
            }),
        };
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
    }
}
