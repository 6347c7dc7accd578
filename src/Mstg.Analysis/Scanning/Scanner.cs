using System.Diagnostics;
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

    /// <summary>Scans an <c>.ipa</c>, an <c>.app</c> folder or an Info.plist. Throws <see cref="MstgInputException"/> when the target itself is unreadable.</summary>
    public ScanResult Scan(string path, ScanOptions? options = null)
    {
        options ??= new ScanOptions();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        using var package = AppPackageReader.Open(path, options.Limits);
        var problems = new List<MstgInputException>(package.Problems);
        var contexts = new List<BundleContext>(package.Bundles.Count);
        var findings = new List<Finding>();

        foreach (var bundle in package.Bundles)
        {
            var (executable, error) = ReadExecutable(package, bundle);
            if (error is not null) problems.Add(error);
            var context = new BundleContext { Package = package, Bundle = bundle, Options = options, Executable = executable, ExecutableError = error };
            contexts.Add(context);
            foreach (var rule in bundleRules) findings.AddRange(rule.Evaluate(context));
        }
        foreach (var rule in packageRules) findings.AddRange(rule.Evaluate(contexts));

        return new ScanResult
        {
            Target = path,
            Options = options,
            StartedAt = started,
            Duration = clock.Elapsed,
            Bundles = contexts.Select(Summarize).ToList(),
            Findings = findings.Distinct().OrderByDescending(f => f.Verdict).ThenBy(f => f.Bundle, StringComparer.Ordinal)
                .ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Location, StringComparer.Ordinal).ToList(),
            Problems = problems,
        };
    }

    private static (MachOFile?, MstgInputException?) ReadExecutable(AppPackage package, AppBundle bundle)
    {
        if (bundle.Executable is null) return (null, null);
        try
        {
            using var stream = package.Files.Open(bundle.Executable);
            return (MachOReader.Read(stream, bundle.Executable.Path), null);
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
            Str("MinimumOSVersion") ?? c.Executable?.Primary?.Build?.MinOs.ToString(),
            c.Bundle.Executable?.Path,
            c.Executable?.Images.Select(i => i.Architecture).ToList() ?? [],
            c.Executable?.Images.Any(i => i.IsEncrypted) == true);
    }
}
