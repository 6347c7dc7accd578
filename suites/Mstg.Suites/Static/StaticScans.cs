using System.Collections.Concurrent;
using Mstg.Allure.Categories;
using Mstg.Analysis.Rules;
using Mstg.Analysis.Scanning;
using Mstg.Suites.Configuration;
using Mstg.Suites.Run;

namespace Mstg.Suites.Static;

/// <summary>
/// The assembly fixture that scans each configured app once per test run and shares the result between the static
/// tests (AssemblyInfo.cs registers it; tests get it through their constructor). An app is scanned when the first
/// test asks for it, so a run filtered to other apps or kinds scans nothing it does not need.
/// </summary>
public sealed class StaticScans
{
    private readonly ConcurrentDictionary<string, Lazy<ScanOutcome>> _cache = new(StringComparer.Ordinal);

    public ScanOutcome For(string app) =>
        _cache.GetOrAdd(app, a => new Lazy<ScanOutcome>(() => Run(a), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>
    /// The scan a requirement test needs. Without an app, or with one that cannot be read, the test is skipped as not
    /// tested with one short line: the "Run configuration" test fails once for the whole run and says why.
    /// </summary>
    public ScanOutcome Require(string key)
    {
        if (key == SuiteApps.NotConfigured)
            Xunit.Assert.Skip($"No app configured: set {SuiteSettings.AppVariable} or {SuiteSettings.RunsettingsPrefix}APP (README, \"Run the suite against your app\").");
        if (SuiteSettings.ProfileProblem is { } profile)
            Xunit.Assert.Skip(MstgCategories.Tag(MstgCategories.Environment, $"Not tested: {profile}"));
        var outcome = For(key);
        if (outcome.Error is not null)
        {
            RunLog.Record($"{key} {TestContext.Current.Test?.TestDisplayName}", TestOutcome.EnvironmentError);
            Xunit.Assert.Skip(MstgCategories.Tag(MstgCategories.Environment,
                $"Not tested: {key} cannot be read ({SuiteApps.Get(key).Error ?? outcome.Error.Message}). See the \"Run configuration\" test."));
        }
        return outcome;
    }

    private static ScanOutcome Run(string key)
    {
        var app = SuiteApps.Get(key);
        if (app.Error is not null || app.Path is null)
            return new ScanOutcome(key, null, new MstgInputException(app.Setting, "app", app.Error ?? "cannot be resolved"));
        try
        {
            var options = new ScanOptions { Profile = SuiteSettings.Profile, FirstPartyDomains = SuiteSettings.FirstPartyDomains };
            return new ScanOutcome(key, Scanner.Default.Scan(app.Path, options), null);
        }
        catch (MstgInputException e)
        {
            return new ScanOutcome(key, null, e);
        }
    }
}

/// <summary>A scan, or the input error that stopped it.</summary>
public sealed record ScanOutcome(string App, ScanResult? Result, MstgInputException? Error);
