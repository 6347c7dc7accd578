using Mstg.Analysis.Ats;
using Mstg.Bundles;
using Mstg.Dynamic.Prediction;
using Mstg.Plist;
using Mstg.Suites.Static;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// What the static side knows that the dynamic judge cross-checks: the ATS policy of the configured app's Info.plist and
/// the hard-coded http:// URLs the scan found. Only when exactly one readable app is configured (MSTG_APP): with none or
/// several, the dynamic cases run without the cross-check and say so.
/// The scan comes from the <see cref="StaticScans"/> assembly fixture, so the dynamic cases reuse the static tests' scan.
/// </summary>
public sealed class StaticKnowledge
{
    private StaticKnowledge(AtsPolicy? ats, IReadOnlyList<string> cleartextUrls, string note)
    {
        Ats = ats;
        CleartextUrls = cleartextUrls;
        Note = note;
    }

    public AtsPolicy? Ats { get; }
    public IReadOnlyList<string> CleartextUrls { get; }
    /// <summary>Which app it came from, or why there is none.</summary>
    public string Note { get; }

    public AtsPrediction? PredictionFor(string host) => Ats is null || host == Mstg.Dynamic.Judging.DynamicJudge.AnyHost ? null : AtsPrediction.From(Ats, host);

    public static StaticKnowledge Load(StaticScans scans)
    {
        // A reference target is not the .ipa the static suite scanned: its verdicts are not cross-checked with that app's ATS.
        IReadOnlyList<string> references;
        try { references = DynamicSettings.ReferenceTargets; }
        catch (DynamicEnvironmentException) { references = []; }
        if (references.Count > 0)
            return new(null, [], $"{string.Join(", ", references.Select(r => DynamicReferenceTarget.Prefix + r))} " +
                                 $"{(references.Count == 1 ? "is a reference target" : "are reference targets")}, not the app of MSTG_APP: no ATS cross-check");
        var apps = SuiteApps.All.Where(a => a.Error is null && a.Path is not null).ToList();
        if (apps.Count != 1)
            return new(null, [], apps.Count == 0 ? "no app configured (MSTG_APP): no ATS cross-check" : "several apps configured: no ATS cross-check");
        var app = apps[0];
        try
        {
            AtsPolicy? policy;
            using (var package = AppPackageReader.Open(app.Path!))
            {
                var main = package.Bundles.FirstOrDefault(b => b.Kind == BundleKind.App) ?? package.Bundles.FirstOrDefault();
                policy = main?.Info is PlistDict info ? AtsPolicy.Evaluate(info) : null;
            }
            var urls = scans.For(app.Key).Result?.Findings
                .Where(f => f.RuleId == RuleCatalog.BinCleartextUrl && f.Verdict != Verdict.Skipped && f.Evidence is not null)
                .Select(f => f.Evidence!.Split('\n')[0].Trim()).Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                .Distinct().ToList() ?? [];
            return new(policy, urls, $"ATS and {urls.Count} cleartext URL(s) from {app.Key}");
        }
        catch (Exception e) when (e is MstgInputException or IOException or InvalidOperationException)
        {
            return new(null, [], $"{app.Key} could not be read for the ATS cross-check: {e.Message}");
        }
    }
}
