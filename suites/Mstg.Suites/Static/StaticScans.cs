using System.Collections.Concurrent;
using Mstg.Analysis;
using Mstg.Analysis.Scanning;
using Mstg.Suites.Configuration;

namespace Mstg.Suites.Static;

/// <summary>
/// Scans each configured app once per test run and shares the result between the static tests, the way an
/// xUnit assembly fixture would; kept as a lazy cache because the apps are theory data, not constructor input.
/// </summary>
public static class StaticScans
{
    private static readonly ConcurrentDictionary<string, Lazy<ScanOutcome>> Cache = new(StringComparer.Ordinal);

    public static ScanOutcome For(string app) =>
        Cache.GetOrAdd(app, a => new Lazy<ScanOutcome>(() => Run(a), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static ScanOutcome Run(string app)
    {
        try
        {
            var options = new ScanOptions { Profile = SuiteSettings.Profile, FirstPartyDomains = SuiteSettings.FirstPartyDomains };
            return new ScanOutcome(app, Scanner.Default.Scan(SuiteSettings.Resolve(app), options), null);
        }
        catch (MstgInputException e)
        {
            return new ScanOutcome(app, null, e);
        }
    }
}

/// <summary>A scan, or the input error that stopped it.</summary>
public sealed record ScanOutcome(string App, ScanResult? Result, MstgInputException? Error);
