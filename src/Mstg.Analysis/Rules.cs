using Mstg.Bundles;
using Mstg.MachO;
using Mstg.Plist;

namespace Mstg.Analysis;

/// <summary>What the user chose for a scan.</summary>
public sealed record ScanOptions
{
    public Profile Profile { get; init; } = Profile.L1;

    /// <summary>"Now" for expiry checks (TrustKit expiration dates); fixed in tests.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Domains the app's owner controls (pinning at L2 is judged for these). Empty: infer from the app.</summary>
    public IReadOnlyList<string> FirstPartyDomains { get; init; } = [];

    /// <summary>Extra advisory files (OSV-style JSON) added to the built-in one.</summary>
    public IReadOnlyList<string> AdvisoryFiles { get; init; } = [];

    public BundleLimits Limits { get; init; } = BundleLimits.Default;

    /// <summary>Limits of the Mach-O reader; whatever they cut makes the scan <c>incomplete</c>.</summary>
    public MachOReadOptions MachO { get; init; } = MachOReadOptions.Default;

    /// <summary>How many bundles are read and checked at once (each worker holds one executable in memory).</summary>
    public int MaxParallelism { get; init; } = Math.Min(Environment.ProcessorCount, 2);
}

/// <summary>Everything a rule may look at for one bundle. The scanner fills it; rules only read it.</summary>
public sealed class BundleContext
{
    public required AppPackage Package { get; init; }
    public required AppBundle Bundle { get; init; }
    public required ScanOptions Options { get; init; }

    /// <summary>The parsed main executable, or null when the bundle has none or it could not be read (see <see cref="ExecutableError"/>).</summary>
    public MachOFile? Executable { get; init; }
    public MstgInputException? ExecutableError { get; init; }

    public PlistDict? Info => Bundle.Info;

    /// <summary>Location prefix for plist findings: <c>Info.plist</c> relative to the bundle.</summary>
    public string InfoPlistName => "Info.plist";

    /// <summary>The shared view binary rules read (built on first use). A context is used by one thread at a time.</summary>
    internal Binary.ExecutableView? View { get; set; }
}

/// <summary>A group of checks run once per bundle.</summary>
public interface IBundleRule
{
    IEnumerable<Finding> Evaluate(BundleContext context);
}

/// <summary>A group of checks that needs the whole app at once (for example "no pinning anywhere").</summary>
public interface IPackageRule
{
    IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles);
}

/// <summary>
/// A package rule split in two: <see cref="Collect"/> runs per bundle while its executable is loaded, and
/// <see cref="Evaluate(IReadOnlyList{BundleContext}, IReadOnlyList{object})"/> decides from what was collected.
/// When every package rule works this way the scanner releases each executable's strings right after its bundle
/// is checked, so a scan's memory does not grow with the number of binaries in the app.
/// </summary>
public interface ICollectingPackageRule : IPackageRule
{
    /// <summary>The facts this rule needs from one bundle; must not keep the executable's strings alive.</summary>
    object Collect(BundleContext context);

    /// <summary>The verdict over all bundles; <paramref name="collected"/>[i] is what <see cref="Collect"/> returned for <paramref name="bundles"/>[i].</summary>
    IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles, IReadOnlyList<object> collected);
}
