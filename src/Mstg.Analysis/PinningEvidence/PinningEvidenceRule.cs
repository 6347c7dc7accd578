using Mstg.Analysis.Binary;

namespace Mstg.Analysis.PinningEvidence;

/// <summary>
/// PIN-NONE (MASTG-TEST-0385/0068): the whole app — every bundle — shows no sign of certificate or key pinning.
/// Fail at L2 (MASVS-NETWORK-2 requires pinning), Info at L1. When evidence exists the rule passes and lists it, so reports
/// show what pinning was found. If nothing was found but some executable could not be read, the result is Skipped.
/// </summary>
public sealed class PinningEvidenceRule : ICollectingPackageRule
{
    public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles) => Evaluate(bundles, bundles.Select(Collect).ToList());

    public object Collect(BundleContext context) => PinningEvidenceCollector.Collect(context);

    public IEnumerable<Finding> Evaluate(IReadOnlyList<BundleContext> bundles, IReadOnlyList<object> collected)
    {
        if (bundles.Count == 0) yield break;
        var main = bundles.FirstOrDefault(b => b.Bundle.Kind == Mstg.Bundles.BundleKind.App) ?? bundles[0];
        var clues = collected.SelectMany(c => (IReadOnlyList<PinningClue>)c).ToList();
        var location = $"{main.Bundle.InfoPlistPath ?? main.InfoPlistName}:NSAppTransportSecurity/NSPinnedDomains";
        var lookedFor = "Looked for: " + string.Join("; ", PinningEvidenceCollector.LookedFor) + ".";

        if (clues.Count > 0)
        {
            yield return RuleFindings.Create(main, RuleCatalog.PinNone, Verdict.Pass,
                $"Pinning evidence found ({clues.Count}): {string.Join("; ", clues.Select(c => c.What).Distinct().Take(5))}. " +
                "Evidence shows a pinning mechanism exists; whether it covers every first-party domain is checked by the ATS pin rules and dynamically.",
                clues[0].Location, RuleFindings.JoinEvidence(clues.Select(c => $"{c.What} — {c.Bundle} {c.Location}"), 30));
            yield break;
        }

        var blocked = bundles.Select(ExecutableView.For).Where(v => v.Blocked).ToList();
        if (blocked.Count > 0)
        {
            yield return RuleFindings.Create(main, RuleCatalog.PinNone, Verdict.Skipped,
                $"No pinning evidence found in the readable parts of the app, but {blocked.Count} executable(s) could not be examined " +
                $"({blocked[0].UnreadableReason}), so the absence of pinning is not proven. {lookedFor}",
                location, string.Join("\n", blocked.Select(b => $"{b.Context.Bundle.Path}: {b.UnreadableReason}")));
            yield break;
        }

        var l2 = main.Options.Profile == Profile.L2;
        yield return RuleFindings.Create(main, RuleCatalog.PinNone, l2 ? Verdict.Fail : Verdict.Info,
            $"No certificate or public-key pinning evidence anywhere in the app ({bundles.Count} bundle(s)). " +
            (l2 ? "MASVS-NETWORK-2 (L2) requires pinning the identity of endpoints under the developer's control: add NSPinnedDomains " +
                  "(SPKI-SHA256 pins with a backup pin) or a pinning library such as TrustKit. "
                : "Pinning is only required at L2; at L1 this is information. ") + lookedFor,
            location, lookedFor);
    }
}
