using Mstg.Analysis.Hosts;
using Mstg.Analysis.Rules;
using Mstg.Bundles;

namespace Mstg.Analysis.Pinning;

/// <summary>
/// PIN-DOMAIN-NOT-PINNED (MASTG-TEST-0385): each first-party host the app's binaries name in a URL must be covered by
/// a pin (<c>NSPinnedDomains</c> or TrustKit) of the process it runs in: an extension is its own process with its own
/// Info.plist; the app and its frameworks share the app's. First-party domains come from <see cref="ScanOptions.FirstPartyDomains"/>;
/// without them the rule says nothing, because MASTG only asks for pins on endpoints the developer controls.
/// Fail at L2, Info at L1; Warn when the process has code-level pinning clues, because MASTG-TEST-0385 then asks to
/// report "not covered by ATS pinning" rather than "not pinned" (the code may pin that host). TrustKit code in a process
/// whose Info.plist configures TrustKit is no such clue: the configuration says what TrustKit enforces.
/// </summary>
public sealed class PinnedDomainCoverageRule : ICollectingPackageRule
{
    /// <summary>What one bundle contributes: the hosts its executable names, where, and its code-level pinning clues.</summary>
    private sealed record BundleHosts(IReadOnlyDictionary<string, string> HostLocations, IReadOnlyList<PinningClue> Clues);

    public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles) => Evaluate(bundles, bundles.Select(Collect).ToList());

    public object Collect(BundleContext context)
    {
        var hosts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (url, location) in ExecutableView.For(context).Urls)
            if (url.Host is { } host && url.LocalReason is null) hosts.TryAdd(host.TrimEnd('.'), location);
        return new BundleHosts(hosts, PinningEvidenceCollector.Collect(context));
    }

    public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles, IReadOnlyList<object> collected)
    {
        if (bundles.Count == 0) yield break;
        var options = bundles[0].Options;
        var firstParty = options.FirstPartyDomains.Select(d => d.Trim().TrimStart('*', '.').TrimEnd('.')).Where(d => d.Length > 0).ToList();
        if (firstParty.Count == 0) yield break;

        var main = bundles.FirstOrDefault(b => b.Bundle.Kind == BundleKind.App) ?? bundles[0];
        var processes = bundles.Select(b => ProcessOf(b, bundles) ?? main).ToList();
        // Per process (the app with its frameworks, or one extension): its pins, read once, and its code-level clues.
        var pinsOf = processes.Distinct().ToDictionary(p => p, p => p.Info is { } info ? PinningConfiguration.Read(info) : null);
        // Code-level clues only: the plist pins are judged by IsPinned, and TrustKit code is explained by the process's
        // TrustKit configuration when it has one (report-only or expired TrustKit must not soften the verdict).
        var codeCluesOf = processes.Distinct().ToDictionary(p => p, p => PinningEvidenceCollector.Unconfirmed(
            Enumerable.Range(0, bundles.Count).Where(j => processes[j] == p).SelectMany(j => ((BundleHosts)collected[j]).Clues),
            pinsOf[p]?.HasTrustKit == true).ToList());
        var checkedHosts = new List<string>();
        var flagged = 0;

        for (var i = 0; i < bundles.Count; i++)
        {
            var bundle = bundles[i];
            var process = processes[i];
            var pins = pinsOf[process];
            // Pinning code only protects connections of the process it runs in.
            var codePinning = codeCluesOf[process];
            foreach (var (host, location) in ((BundleHosts)collected[i]).HostLocations.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                if (!firstParty.Any(d => HostNames.IsSameOrUnder(host, d))) continue;
                checkedHosts.Add(host);
                if (pins?.IsPinned(host, options.Now) == true) continue;

                var (verdict, why) = codePinning.Count > 0
                    ? (options.Profile == Profile.L2 ? Verdict.Warn : Verdict.Info, $"{host} is not covered by ATS or TrustKit pinning; pinning clue found in code ({codePinning[0].What}): confirm dynamically that it covers this host.")
                    : (options.Profile == Profile.L2 ? Verdict.Fail : Verdict.Info,
                       $"{host} is a first-party host the app connects to, but no NSPinnedDomains or TrustKit entry of {process.Bundle.Name} covers it" +
                       (options.Profile == Profile.L2 ? ": MASVS-NETWORK-2 (L2) requires pinning it." : " (pinning is only required at L2)."));
                flagged++;
                yield return RuleFindings.Create(bundle, RuleCatalog.PinDomainNotPinned, verdict,
                    why + " Add an NSPinnedDomains entry for it (SPKI-SHA256 pins with a backup pin).",
                    location, $"URL host {host} at {location}; first-party domains: {string.Join(", ", firstParty)}", host);
            }
        }

        if (checkedHosts.Count > 0 && flagged == 0)
            yield return RuleFindings.Create(main, RuleCatalog.PinDomainNotPinned, Verdict.Pass,
                $"Every first-party host the binaries name is pinned: {string.Join(", ", checkedHosts.Distinct())}.",
                $"{main.Bundle.InfoPlistPath ?? main.InfoPlistName}:NSAppTransportSecurity/NSPinnedDomains");
    }

    /// <summary>The bundle whose Info.plist governs <paramref name="bundle"/>'s connections: itself for an app or extension, its container for a framework.</summary>
    private static BundleContext? ProcessOf(BundleContext bundle, IReadOnlyList<BundleContext> all)
    {
        if (bundle.Bundle.Kind != BundleKind.Framework) return bundle;
        var owner = bundle.Bundle.Parent;
        while (owner is not null && owner.Kind == BundleKind.Framework) owner = owner.Parent;
        return owner is null ? null : all.FirstOrDefault(b => b.Bundle.Path == owner.Path);
    }
}
