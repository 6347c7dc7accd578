using Mstg.Analysis.Rules;


namespace Mstg.Analysis.Pinning;

/// <summary>
/// PIN-NONE (MASTG-TEST-0385/0068): does the app — any bundle — pin at all. Only pins that will be enforced prove it
/// statically: Info.plist <c>NSPinnedDomains</c>, or a TrustKit configuration entry that is enforced and unexpired, with a
/// well-formed pin; then the rule passes and lists the evidence. Code that can pin (TrustKit without a plist
/// configuration, pinning evaluators, SecTrust certificate or key extraction, custom anchors, bundled certificates) cannot
/// be confirmed without following the data, so it is a warning at L2 ("confirm dynamically"), information at L1. Nothing
/// at all: Fail at L2 (MASVS-NETWORK-2 requires pinning), Info at L1; Skipped when an executable could not be read.
/// </summary>
public sealed class PinningEvidenceRule : ICollectingPackageRule
{
    public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles) => Evaluate(bundles, bundles.Select(Collect).ToList());

    public object Collect(BundleContext context) => PinningEvidenceCollector.Collect(context);

    public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles, IReadOnlyList<object> collected)
    {
        if (bundles.Count == 0) yield break;
        var main = bundles.FirstOrDefault(b => b.Bundle.Kind == Mstg.Bundles.BundleKind.App) ?? bundles[0];
        var l2 = main.Options.Profile == Profile.L2;
        var clues = collected.SelectMany(c => (IReadOnlyList<PinningClue>)c).ToList();
        var location = $"{main.Bundle.InfoPlistPath ?? main.InfoPlistName}:NSAppTransportSecurity/NSPinnedDomains";
        var lookedFor = "Looked for: " + string.Join("; ", PinningEvidenceCollector.LookedFor) + ".";
        var configs = bundles.Where(b => b.Info is not null).Select(b => (Bundle: b, Config: PinningConfiguration.Read(b.Info!))).ToList();

        var confirmed = clues.Where(c => c.Confirmed).ToList();
        if (confirmed.Count > 0)
        {
            var all = confirmed.Concat(clues.Where(c => !c.Confirmed)).ToList();
            yield return RuleFindings.Create(main, RuleCatalog.PinNone, Verdict.Pass,
                $"Enforced pins configured ({confirmed.Count}): {string.Join("; ", confirmed.Select(c => c.What).Distinct().Take(5))}. " +
                "Whether they cover every first-party domain is checked by PIN-DOMAIN-NOT-PINNED and dynamically.",
                confirmed[0].Location, RuleFindings.JoinEvidence(all.Select(c => $"{c.What} — {c.Bundle} {c.Location}"), 30));
            yield break;
        }

        // Pins that exist but will not be enforced are named in every verdict below: they are why the app is not pinned.
        var notPinning = NotPinning(configs, main.Options.Now);
        var notPinningText = notPinning.Count == 0 ? "" : $" Configured but not pinning: {string.Join("; ", notPinning)}.";

        var unconfirmed = PinningEvidenceCollector.Unconfirmed(clues, configs.Any(c => c.Config.HasTrustKit)).ToList();
        if (unconfirmed.Count > 0)
        {
            var what = string.Join("; ", unconfirmed.Select(c => c.What).Distinct().Take(5));
            yield return RuleFindings.Create(main, RuleCatalog.PinNone, l2 ? Verdict.Warn : Verdict.Info,
                $"Pinning clue found in code ({what}); confirm dynamically that connections to your endpoints fail with a certificate " +
                "from a trusted but unpinned CA (an interception proxy). A static scan cannot see whether the code compares the right key " +
                "for the right hosts and honours the result." + notPinningText +
                (l2 ? " For a verdict without a dynamic test, pin in Info.plist (NSPinnedDomains, SPKI-SHA256 pins with a backup)." : " Pinning is only required at L2."),
                unconfirmed[0].Location, RuleFindings.JoinEvidence(unconfirmed.Select(c => $"{c.What} — {c.Bundle} {c.Location}"), 30));
            yield break;
        }

        var blocked = bundles.Select(ExecutableView.For).Where(v => v.Blocked).ToList();
        if (blocked.Count > 0)
        {
            yield return RuleFindings.Create(main, RuleCatalog.PinNone, Verdict.Skipped,
                $"No pinning evidence found in the readable parts of the app, but {blocked.Count} executable(s) could not be examined " +
                $"({blocked[0].UnreadableReason}), so the absence of pinning is not proven.{notPinningText} {lookedFor}",
                location, string.Join("\n", blocked.Select(b => $"{b.Context.Bundle.Path}: {b.UnreadableReason}")));
            yield break;
        }

        yield return RuleFindings.Create(main, RuleCatalog.PinNone, l2 ? Verdict.Fail : Verdict.Info,
            $"No certificate or public-key pinning that would be enforced anywhere in the app ({bundles.Count} bundle(s)).{notPinningText} " +
            (l2 ? "MASVS-NETWORK-2 (L2) requires pinning the identity of endpoints under the developer's control: add NSPinnedDomains " +
                  "(SPKI-SHA256 pins with a backup pin) or an enforced pinning library configuration such as TrustKit's. "
                : "Pinning is only required at L2; at L1 this is information. ") + lookedFor,
            location, notPinning.Count == 0 ? lookedFor : string.Join("\n", notPinning.Append(lookedFor)));
    }

    /// <summary>Configured pin entries that protect nothing: report-only or expired TrustKit entries.</summary>
    private static List<string> NotPinning(IEnumerable<(BundleContext Bundle, PinningConfiguration Config)> configs, DateTimeOffset now)
    {
        var notes = new List<string>();
        foreach (var (bundle, config) in configs)
            foreach (var d in config.Domains.Where(d => d.ValidPins.Any()))
            {
                if (!d.Enforced) notes.Add($"TrustKit pins for {d.Domain} are report-only (TSKEnforcePinning NO) in {bundle.Bundle.Path}");
                else if (d.IsExpired(now)) notes.Add($"TrustKit pins for {d.Domain} expired on {d.Expiration:yyyy-MM-dd} in {bundle.Bundle.Path}");
            }
        return notes;
    }
}
