using System.Collections.Concurrent;
using System.Text;
using Mstg.Allure.Categories;
using Mstg.Allure.Runtime;
using Mstg.Analysis.Waivers;
using Mstg.Dynamic.Expectations;
using Mstg.Suites.Configuration;
using Mstg.Suites.Run;

namespace Mstg.Suites.Waivers;

/// <summary>
/// The run's waivers (<c>MSTG_WAIVERS</c>: the file <c>mstg scan --baseline</c> reads, docs/waivers.md). A runner calls
/// <see cref="Check"/> where a test is about to fail: when a live waiver covers every failing finding the test is skipped
/// with each waiver's justification, approval and expiry (Allure: skipped, tag <see cref="Tag"/>); otherwise the test
/// fails and the returned note says which findings were waived and which waivers expired. A malformed file is an
/// environment problem (the run's configuration problem, and a failing test it should have judged is broken), never
/// ignored. Waivers that covered nothing are listed when the run ends (<see cref="ClosingLines"/>).
/// </summary>
public static class SuiteWaivers
{
    public const string Variable = "MSTG_WAIVERS";

    /// <summary>The Allure tag of a waived test (filter the report on it).</summary>
    public const string Tag = "waived";

    private sealed record Loaded(string? Path, IReadOnlyList<Waiver> Waivers, string? Problem);

    private static readonly Lazy<Loaded> Current = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, Waiver> Used = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> WaivedTests = new();

    public static SettingValue Setting => SuiteSettings.Read(Variable);

    /// <summary>Why the waiver file cannot be used (file and entry named), or null.</summary>
    public static string? Problem => Current.Value.Problem;

    public static IReadOnlyList<Waiver> All => Current.Value.Waivers;

    private static DateOnly Today => DateOnly.FromDateTime(SuiteSettings.Clock.GetUtcNow().UtcDateTime);

    /// <summary>For the run's first lines and the Allure environment: <c>/ci/waivers.json (3 entries, 1 expired)</c>, or null when none is set.</summary>
    public static string? Describe()
    {
        var loaded = Current.Value;
        if (loaded.Path is null) return null;
        if (loaded.Problem is not null) return $"{loaded.Path} (unreadable)";
        var expired = loaded.Waivers.Count(w => w.IsExpired(Today));
        return $"{loaded.Path} ({loaded.Waivers.Count} entr{(loaded.Waivers.Count == 1 ? "y" : "ies")}{(expired > 0 ? $", {expired} expired" : "")})";
    }

    /// <summary>
    /// Called with the failing findings of a test that is about to fail. Skips the test when live waivers cover them all;
    /// otherwise returns the text to append to the failure message (empty without waivers). <paramref name="probe"/> is the
    /// dynamic case's probe id, which a waiver's <c>test</c> matches.
    /// </summary>
    public static string Check(string test, IReadOnlyList<Finding> failures, string? probe = null)
    {
        if (Current.Value.Path is null || failures.Count == 0) return "";
        if (Problem is { } problem)
        {
            RunLog.Record(test, TestOutcome.EnvironmentError);
            throw new SuiteConfigurationException(MstgCategories.Tag(MstgCategories.Environment, $"Not judged: {problem}"));
        }
        var today = Today;
        var covered = new List<(Finding Finding, Waiver Waiver)>();
        var expired = new List<(Finding Finding, Waiver Waiver)>();
        var open = new List<Finding>();
        foreach (var f in failures)
        {
            var matching = All.Where(w => w.Matches(f, probe)).ToList();
            if (matching.FirstOrDefault(w => !w.IsExpired(today)) is { } live) covered.Add((f, live));
            else
            {
                open.Add(f);
                if (matching.FirstOrDefault() is { } old) expired.Add((f, old));
            }
            foreach (var w in matching) Used.TryAdd(w.Place, w);
        }

        if (open.Count == 0)
        {
            var message = new StringBuilder(MstgCategories.Tag(Tag, $"{test}: {failures.Count} failing finding(s) accepted by waivers ({Current.Value.Path}); not a pass:"));
            foreach (var (f, w) in covered) message.Append($"\n- {f.Describe()}\n  {Waived(w)}");
            RunLog.Record(test, TestOutcome.Skipped);
            WaivedTests.Enqueue(test);
            AllureApi.Label("tag", Tag);
            Assert.Skip(message.ToString());
        }

        var note = new StringBuilder();
        foreach (var (f, w) in expired)
            note.Append($"\nThe waiver for {f.RuleId} expired on {w.Expires:yyyy-MM-dd} and no longer covers it ({w.Place}): {w.Justification}");
        if (covered.Count > 0)
        {
            note.Append($"\n{covered.Count} of {failures.Count} failing finding(s) are waived; the other {open.Count} are not, so the test fails:");
            foreach (var (f, w) in covered) note.Append($"\n- waived: {f.RuleId} {f.Subject.Display}: {Waived(w)}");
        }
        return note.ToString();
    }

    /// <summary>The end of the run: expired waivers, and live waivers that covered no failing finding of the tests that ran.</summary>
    public static IEnumerable<string> ClosingLines()
    {
        var loaded = Current.Value;
        if (loaded.Path is null || loaded.Problem is not null) yield break;
        var today = Today;
        var waived = WaivedTests.OrderBy(t => t, StringComparer.Ordinal).ToList();
        if (waived.Count > 0)
        {
            yield return $"MSTG waived: {waived.Count} failing test(s) skipped because live waivers accept all their findings (Allure tag '{Tag}'):";
            foreach (var t in waived) yield return $"  WAIVED {t}";
        }
        var expired = loaded.Waivers.Where(w => w.IsExpired(today)).ToList();
        if (expired.Count > 0)
        {
            yield return $"MSTG expired waivers: {expired.Count} in {loaded.Path} cover nothing any more (renew or remove them):";
            foreach (var w in expired) yield return $"  EXPIRED {w}";
        }
        var stale = loaded.Waivers.Where(w => !w.IsExpired(today) && !Used.ContainsKey(w.Place)).ToList();
        if (stale.Count > 0)
        {
            yield return $"MSTG stale waivers: {stale.Count} in {loaded.Path} matched no failing finding of the tests that ran (remove them, or check their fields):";
            foreach (var w in stale) yield return $"  STALE ({w.Kind.Name()}) {w}";
        }
    }

    /// <summary>For <c>mstg-run.json</c>: the file, the waived tests, and the places of expired and stale waivers; null without a file.</summary>
    public static object? Summary()
    {
        var loaded = Current.Value;
        if (loaded.Path is null) return null;
        var today = Today;
        return new
        {
            file = loaded.Path,
            problem = loaded.Problem,
            entries = loaded.Waivers.Count,
            waived = WaivedTests.OrderBy(t => t, StringComparer.Ordinal).ToList(),
            expired = loaded.Waivers.Where(w => w.IsExpired(today)).Select(w => w.Place).ToList(),
            stale = loaded.Waivers.Where(w => !w.IsExpired(today) && !Used.ContainsKey(w.Place)).Select(w => w.Place).ToList(),
        };
    }

    private static string Waived(Waiver w) =>
        $"waived until {w.Expires:yyyy-MM-dd}{(w.Approval.Length > 0 ? $", accepted {w.Approval}" : "")}: {w.Justification} ({w.Place})";

    private static Loaded Load()
    {
        if (Setting.Value is not { } configured) return new Loaded(null, [], null);
        // Relative to the test process's working directory (under dotnet test: the suite's output folder); the first
        // line prints the full path, so a relative one that points elsewhere shows.
        var path = Path.GetFullPath(configured, Environment.CurrentDirectory);
        try
        {
            var waivers = WaiverFile.Load(path);
            // The scan has no dynamic probes; the suites know them, so a test id that names no probe is refused here.
            var probes = DynamicExpectations.All.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            if (waivers.FirstOrDefault(w => w.Test is not null && !probes.Contains(w.Test)) is { } unknown)
                throw new MstgInputException(path, $"{unknown.Place[(path.Length + 2)..]}.test",
                    $"'{unknown.Test}' is not a dynamic probe id (known: {string.Join(", ", probes)})");
            return new Loaded(path, waivers, null);
        }
        catch (MstgInputException e)
        {
            // WaiverFile names an unreadable file with the place "file" (a missing file: a typo in the setting).
            var what = e.Place == "file" ? "cannot be read" : "is malformed";
            return new Loaded(path, [], $"the waiver file of {Variable} (from {Setting.Source}) {what}: {e.Message}");
        }
    }
}
