using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Pinning;

/// <summary>
/// Checks the pinning configured in Info.plist (PIN-INVALID-HASH, PIN-NO-BACKUP, PIN-TRUSTKIT-NOT-ENFORCED,
/// PIN-TRUSTKIT-EXPIRED, PIN-ATS-UNSUPPORTED-OS). Whether the app pins at all (PIN-NONE) is decided elsewhere, from
/// <see cref="PinningConfiguration"/> plus binary evidence.
/// </summary>
public sealed class PinningConfigRules : IBundleRule
{
    public IEnumerable<Finding> Evaluate(BundleContext context) =>
        context.Info is { } info
            ? Evaluate(info, context.Options.Now, context.Bundle.Path, context.InfoPlistName,
                BundleTarget.Read(info, context.Executable?.Primary?.Build), context.Options.Profile)
            : [];

    /// <summary>
    /// The rules on a bare plist. Report-only and expired TrustKit pins are not pinning: they fail at L2, where pinning is
    /// required, and warn at L1, where it is not.
    /// </summary>
    /// <param name="target">Platform and deployment target; read from <paramref name="info"/> alone when null.</param>
    public static IReadOnlyList<Finding> Evaluate(PlistDict info, DateTimeOffset now, string bundle, string plistName = "Info.plist",
        BundleTarget? target = null, Profile profile = Profile.L1)
    {
        var l2 = profile == Profile.L2;
        var (notPinning, consequence) = l2
            ? (Verdict.Fail, "Report-only or expired pins are not pinning, and MASVS-NETWORK-2 (L2) requires pinning.")
            : (Verdict.Warn, "Pinning is only required at L2.");
        var config = PinningConfiguration.Read(info);
        var findings = new FindingSink(bundle, plistName);
        UnsupportedOs(findings, config, target ?? BundleTarget.Read(info));

        foreach (var domain in config.Domains)
        {
            NoBackup(findings, domain);
            if (domain.Source != PinSource.TrustKit) continue;
            if (!domain.Enforced)
                findings.Add(RuleCatalog.PinTrustKitNotEnforced, $"{domain.KeyPath}/TSKEnforcePinning", domain.Domain, domain.EnforceEvidence ?? "TSKEnforcePinning = false",
                    $"TSKEnforcePinning is NO for {domain.Domain}: TrustKit only reports pin mismatches and lets the connection proceed, so an interception " +
                    $"proxy with a trusted certificate still reads the traffic. {consequence} Set TSKEnforcePinning to YES once the pins are verified.", notPinning);
            if (domain.IsExpired(now))
                findings.Add(RuleCatalog.PinTrustKitExpired, $"{domain.KeyPath}/TSKExpirationDate", domain.Domain, domain.ExpirationEvidence ?? "",
                    $"The TrustKit pins for {domain.Domain} expired on {domain.Expiration:yyyy-MM-dd}; since then TrustKit no longer enforces them and " +
                    $"{domain.Domain} is effectively unpinned. {consequence} Ship current pins with a new expiration date (and a backup pin).", notPinning);
        }
        foreach (var issue in config.Issues)
            findings.Add(issue.RuleId, issue.KeyPath, issue.Domain, issue.Evidence, issue.Message, issue.Verdict, issue.Severity);
        return findings.Items;
    }

    /// <summary>
    /// NSPinnedDomains is read from iOS 14 / macOS 11 on (Apple, NSPinnedDomains: "iOS 14.0+, macOS 11.0+"); earlier
    /// systems ignore it. When it is the app's only declared pinning and the app still installs on such systems, those
    /// devices connect unpinned. TrustKit in the same plist covers them, so then nothing is said.
    /// </summary>
    private static void UnsupportedOs(FindingSink findings, PinningConfiguration config, BundleTarget target)
    {
        if (!config.HasAtsPinning || config.HasTrustKit || target.MinimumOs is not { } minimum) return;
        var introduced = target.Platform == TargetPlatform.MacOS ? new Version(11, 0) : new Version(14, 0);
        if (minimum >= introduced) return;
        var domains = string.Join(", ", config.Domains.Where(d => d.Source == PinSource.AtsPinnedDomains).Select(d => d.Domain));
        findings.Add(RuleCatalog.PinAtsUnsupportedOs, $"{AtsKeys.Root}/{AtsKeys.PinnedDomains}", null,
            $"NSPinnedDomains ({domains}); {target.MinimumOsSource}",
            $"The app supports {target.OsName} {minimum} ({target.MinimumOsSource}), but NSPinnedDomains only takes effect from {target.OsName} {introduced.ToString(2)}: " +
            $"on older devices {domains} {(config.Domains.Count(d => d.Source == PinSource.AtsPinnedDomains) == 1 ? "is" : "are")} not pinned, and no TrustKit configuration covers them. " +
            $"Raise the deployment target to {target.OsName} {introduced.ToString(2)}, or pin in code for older systems (and check the binary for code-level pinning).");
    }

    /// <summary>
    /// A backup pin is needed per pin list: ATS requires a match in every list present (CA and leaf), so each list
    /// needs two distinct keys for a rotation not to brick the app.
    /// </summary>
    private static void NoBackup(FindingSink findings, PinnedDomain domain)
    {
        foreach (var group in domain.Pins.GroupBy(p => p.Kind))
        {
            var distinct = group.Where(p => p.IsValid).Select(p => p.Value).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count != 1) continue; // 0 valid pins is PIN-INVALID-HASH's case
            var first = group.First(p => p.IsValid);
            var listPath = first.KeyPath[..first.KeyPath.LastIndexOf('/')];
            if (domain.Source == PinSource.AtsPinnedDomains) listPath = listPath[..listPath.LastIndexOf('/')];
            var what = domain.Source == PinSource.TrustKit
                ? " TrustKit itself rejects an enforced configuration with fewer than two pins."
                : "";
            findings.Add(RuleCatalog.PinNoBackup, listPath, domain.Domain, $"{listPath[(listPath.LastIndexOf('/') + 1)..]} = [\"{distinct[0]}\"]",
                $"{domain.Domain} is pinned to a single key in {ListName(group.Key)}. When that key is rotated or the CA changes, every connection fails until users update the app.{what} " +
                "Add at least one backup pin (a spare key kept offline, or a second CA).");
        }
    }

    private static string ListName(PinKind kind) => kind switch
    {
        PinKind.CaIdentity => AtsKeys.PinnedCaIdentities,
        PinKind.LeafIdentity => AtsKeys.PinnedLeafIdentities,
        _ => "TSKPublicKeyHashes",
    };
}
