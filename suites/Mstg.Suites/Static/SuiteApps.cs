using Mstg.Suites.Configuration;

namespace Mstg.Suites.Static;

/// <summary>
/// The configured apps, identified once per process, and the theory data of every requirement test: one row per app,
/// keyed by bundle identifier (never the path), or a single row that skips when none is configured.
/// </summary>
public static class SuiteApps
{
    public const string NotConfigured = "(no app configured)";

    private static readonly Lazy<IReadOnlyList<SuiteApp>> Configured = new(IdentifyAll, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every configured app with its identity; two apps with one bundle identifier are told apart by file name.</summary>
    public static IReadOnlyList<SuiteApp> All => Configured.Value;

    /// <summary>The app keys the requirement rows run for: every configured app, or one row that skips when none is configured.</summary>
    public static IReadOnlyList<string> Apps => All.Count == 0 ? [NotConfigured] : All.Select(a => a.Key).ToList();

    /// <summary>The app a theory row names.</summary>
    public static SuiteApp Get(string key) =>
        All.FirstOrDefault(a => a.Key == key) ?? throw new InvalidOperationException($"No configured app is named '{key}'.");

    private static IReadOnlyList<SuiteApp> IdentifyAll()
    {
        var apps = SuiteSettings.Apps.Select(SuiteApp.Identify).ToList();
        var duplicates = apps.GroupBy(a => a.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return apps.Select(a => duplicates.Contains(a.Key) ? a with { Key = $"{a.Key} ({a.FileName})" } : a).ToList();
    }
}
