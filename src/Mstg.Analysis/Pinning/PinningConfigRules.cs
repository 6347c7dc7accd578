using Mstg.Analysis.Ats;
using Mstg.Plist;

namespace Mstg.Analysis.Pinning;

/// <summary>
/// Checks the pinning configured in Info.plist (PIN-INVALID-HASH, PIN-NO-BACKUP, PIN-TRUSTKIT-NOT-ENFORCED,
/// PIN-TRUSTKIT-EXPIRED). Whether the app pins at all (PIN-NONE) is decided elsewhere, from
/// <see cref="PinningConfiguration"/> plus binary evidence.
/// </summary>
public sealed class PinningConfigRules : IBundleRule
{
    public IEnumerable<Finding> Evaluate(BundleContext context) =>
        context.Info is { } info ? Evaluate(info, context.Options.Now, context.Bundle.Path, context.InfoPlistName, context.Options.Profile) : [];

    /// <summary>
    /// The rules on a bare plist. Report-only and expired TrustKit pins are not pinning: they fail at L2, where pinning is
    /// required, and warn at L1, where it is not.
    /// </summary>
    public static IReadOnlyList<Finding> Evaluate(PlistDict info, DateTimeOffset now, string bundle, string plistName = "Info.plist", Profile profile = Profile.L1)
    {
        var l2 = profile == Profile.L2;
        var (notPinning, consequence) = l2
            ? (Verdict.Fail, "Report-only or expired pins are not pinning, and MASVS-NETWORK-2 (L2) requires pinning.")
            : (Verdict.Warn, "Pinning is only required at L2.");
        var config = PinningConfiguration.Read(info);
        var findings = new FindingSink(bundle, plistName);

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
            findings.Add(issue.RuleId, issue.KeyPath, issue.Domain, issue.Evidence, issue.Message);
        return findings.Items;
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
