using Mstg.Bundles;
using Mstg.MachO;
using Mstg.Plist;

namespace Mstg.Analysis.Rules;

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

    /// <summary>Data read once per scan and shared by every bundle (the advisory database); the scanner fills it before the first bundle.</summary>
    public ScanShared Shared { get; init; } = new();

    /// <summary>The shared view binary rules read (built on first use). A context is used by one thread at a time.</summary>
    internal ExecutableView? View { get; set; }
}
