using Mstg.Bundles;
using Mstg.MachO;

namespace Mstg.Analysis.Rules;

/// <summary>What the user chose for a scan.</summary>
public sealed record ScanOptions
{
    public Profile Profile { get; init; } = Profile.L1;

    /// <summary>
    /// The clock a scan reads "now" from when <see cref="Now"/> is not set: TrustKit expiration, the validity of bundled
    /// certificates, end-of-life dates of libraries, the scan's start time. Tests pass a clock they move.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// "Now" for expiry checks: a fixed instant when set, otherwise <see cref="Clock"/>'s time when read. The scanner
    /// reads it once when a scan starts, so one scan judges every bundle at the same instant and options kept for
    /// a later scan do not carry a stale time.
    /// </summary>
    public DateTimeOffset Now
    {
        get => _now ?? Clock.GetUtcNow();
        init => _now = value;
    }
    private readonly DateTimeOffset? _now;

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
