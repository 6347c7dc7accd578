using Mstg.Bundles;
using Mstg.MachO;

namespace Mstg.Analysis.Rules;

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
