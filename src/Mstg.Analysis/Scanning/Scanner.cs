using System.Diagnostics;
using Mstg.Analysis.Libraries;
using Mstg.Analysis.Rules;
using Mstg.Bundles;
using Mstg.MachO;

namespace Mstg.Analysis.Scanning;

/// <summary>
/// Opens an app, reads every bundle's executable once and runs the rule set over it. The scanner owns I/O and
/// error handling; rules stay pure functions of a <see cref="BundleContext"/>.
/// </summary>
public sealed class Scanner(IReadOnlyList<IBundleRule> bundleRules, IReadOnlyList<IPackageRule> packageRules)
{
    /// <summary>A scanner with every built-in rule.</summary>
    public static Scanner Default { get; } = new(RuleSet.BundleRules, RuleSet.PackageRules);

    /// <summary>
    /// Scans an <c>.ipa</c>, an <c>.app</c> folder or an Info.plist. Throws <see cref="MstgInputException"/> when the target
    /// itself is unreadable, and <see cref="OperationCanceledException"/> (no partial result) once <paramref name="cancel"/> fires:
    /// it is checked between bundles and rules and on every read of an executable.
    /// </summary>
    public ScanResult Scan(string path, ScanOptions? options = null, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        options ??= new ScanOptions();
        // Every bundle's expiry checks read one instant: the clock's time as the scan starts, unless the caller fixed Now.
        var started = options.Clock.GetUtcNow();
        options = options with { Now = options.Now };
        var clock = Stopwatch.StartNew();

        // Data every bundle's rules share is read once, before the package is opened: a bad advisory file stops the scan
        // before it starts, and no bundle or rule reads it again.
        var shared = new ScanShared();
        shared.Set(AdvisoryDatabase.For(options));

        using var package = AppPackageReader.Open(path, options.Limits);
        var bundles = package.Bundles;
        var workers = Math.Clamp(options.MaxParallelism, 1, Math.Max(1, bundles.Count));

        // Zip sources are not thread-safe, so every extra worker opens its own handle on the same file; bundles are
        // found in the same order each time, so index i names the same bundle in every handle.
        var handles = new List<AppPackage> { package };
        try
        {
            for (var w = 1; w < workers; w++)
            {
                var handle = AppPackageReader.Open(path, options.Limits);
                handles.Add(handle);
                if (!handle.Bundles.Select(b => b.Path).SequenceEqual(bundles.Select(b => b.Path)))
                    throw new BundleFormatException(path, "package", "the file changed while it was being scanned");
            }

            var outcomes = new BundleOutcome[bundles.Count];
            // Largest executables first, so the two workers finish together instead of one waiting on the last big binary.
            var order = Enumerable.Range(0, bundles.Count).OrderByDescending(i => bundles[i].Executable?.Size ?? 0).ToArray();
            var next = -1;
            try
            {
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    int n;
                    while ((n = Interlocked.Increment(ref next)) < order.Length)
                        outcomes[order[n]] = ScanBundle(handles[w], handles[w].Bundles[order[n]], options, shared, cancel);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // Callers catch our typed errors (bad advisory file, unreadable input), not the parallel wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }

            var contexts = outcomes.Select(o => o.Context).ToList();
            var findings = outcomes.SelectMany(o => o.Findings).ToList();
            var timings = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            foreach (var (stage, time) in outcomes.SelectMany(o => o.Timings)) timings[stage] = timings.GetValueOrDefault(stage) + time;
            for (var r = 0; r < packageRules.Count; r++)
            {
                cancel.ThrowIfCancellationRequested();
                var rule = packageRules[r];
                var index = r;
                findings.AddRange(Timed(timings, rule.GetType().Name, () => (rule is ICollectingPackageRule collecting
                    ? collecting.Evaluate(contexts, outcomes.Select(o => o.Collected[index]).ToList())
                    : rule.Evaluate(contexts)).ToList()));
            }

            return new ScanResult
            {
                Target = path,
                Options = options,
                StartedAt = started,
                Duration = clock.Elapsed,
                Bundles = contexts.Select(Summarize).ToList(),
                Findings = PlistLines.Attach(findings, contexts).Distinct().OrderByDescending(f => f.Verdict).ThenBy(f => f.Bundle, StringComparer.Ordinal)
                    .ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Location, StringComparer.Ordinal).ToList(),
                Problems = package.Problems.Concat(outcomes.Where(o => o.Context.ExecutableError is not null).Select(o => o.Context.ExecutableError!))
                    .Concat(outcomes.SelectMany(o => ReaderWarningProblem.Of(o.Context))).ToList(),
                Timings = timings,
            };
        }
        finally
        {
            foreach (var extra in handles.Skip(1)) extra.Dispose();
        }
    }

    private sealed record BundleOutcome(BundleContext Context, IReadOnlyList<Finding> Findings, Dictionary<string, TimeSpan> Timings, IReadOnlyList<object> Collected);

    // Package rules that collect per bundle need nothing more of the executable afterwards.
    private bool CanReleaseContents => packageRules.All(r => r is ICollectingPackageRule);

    private BundleOutcome ScanBundle(AppPackage package, AppBundle bundle, ScanOptions options, ScanShared shared, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var timings = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var (executable, error) = Timed(timings, "read Mach-O", () => ReadExecutable(package, bundle, options.MachO, cancel));
        var context = new BundleContext { Package = package, Bundle = bundle, Options = options, Shared = shared, Executable = executable, ExecutableError = error };
        var findings = new List<Finding>();
        foreach (var rule in bundleRules)
        {
            cancel.ThrowIfCancellationRequested();
            findings.AddRange(Timed(timings, rule.GetType().Name, () => rule.Evaluate(context).ToList()));
        }
        var collected = packageRules.Select(r => r is ICollectingPackageRule c ? Timed(timings, r.GetType().Name, () => c.Collect(context)) : null!).ToList();

        // The strings of a large binary are most of its memory (tens of MB); once every rule has seen them, keep only
        // the load commands and imports so the next bundle does not stack on top.
        if (CanReleaseContents && executable is not null)
            context = new BundleContext
            {
                Package = package, Bundle = bundle, Options = options, Shared = shared, ExecutableError = error,
                Executable = executable with { Images = executable.Images.Select(i => i with { Strings = MachOStringTable.Empty }).ToList() },
            };
        return new BundleOutcome(context, findings, timings, collected);
    }

    // Rules are lazy enumerables; timing them means materialising them here, which the scan does anyway.
    private static T Timed<T>(Dictionary<string, TimeSpan> timings, string name, Func<T> work)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            timings[name] = timings.GetValueOrDefault(name) + Stopwatch.GetElapsedTime(start);
        }
    }

    private static (MachOFile?, MstgInputException?) ReadExecutable(AppPackage package, AppBundle bundle, MachOReadOptions readOptions, CancellationToken cancel)
    {
        if (bundle.Executable is null) return (null, null);
        try
        {
            // Reading (and inflating) a large executable is the longest step; the stream checks the token on every read.
            using var entry = package.Files.Open(bundle.Executable);
            using var stream = new CancellableReadStream(entry, cancel);
            var file = MachOReader.Read(stream, bundle.Executable.Path, readOptions);
            // The reader stops at the last byte it needs, before the zip's CRC-32 could be checked: a corrupt binary
            // must count as unreadable, not be judged on bytes that may be wrong.
            EntryChecksum.VerifyRest(entry);
            return (file, null);
        }
        catch (MstgInputException e)
        {
            // An unreadable binary is reported, not fatal: plist rules still apply to the bundle.
            return (null, e);
        }
    }

    private static BundleSummary Summarize(BundleContext c)
    {
        var info = c.Bundle.Info;
        string? Str(string key) => (info?[key] as Plist.PlistString)?.Value;
        return new BundleSummary(
            c.Bundle.Path,
            c.Bundle.Kind,
            Str("CFBundleIdentifier"),
            Str("CFBundleShortVersionString"),
            // The same deployment target the ATS rules judged by (binary first, then the plist key for the platform).
            info is null ? c.Executable?.Primary?.Build?.MinOs.ToString() : BundleTarget.Read(info, c.Executable?.Primary?.Build).MinimumOs?.ToString(),
            c.Bundle.Executable?.Path,
            c.Executable?.Images.Select(i => i.Architecture).ToList() ?? [],
            c.Executable?.Images.Any(i => i.IsEncrypted) == true);
    }
}
