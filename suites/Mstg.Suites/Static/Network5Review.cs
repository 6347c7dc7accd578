using System.Text;
using Mstg.Allure.Categories;
using Mstg.Allure.Runtime;
using Mstg.Analysis.Attestations;
using Mstg.Suites.Configuration;

namespace Mstg.Suites.Static;

/// <summary>
/// MSTG-NETWORK-5 cannot be decided by a machine: whether critical operations rely on SMS or e-mail is a property of the
/// app's flows and its backend. The test passes only on a reviewer's attestation for the app (docs/attestations.md);
/// without one, or with an expired one, it is skipped with what to review and the evidence found; a malformed
/// attestation is a configuration error (broken), never a pass.
/// </summary>
public static class Network5Review
{
    private const string Requirement = ReviewAttestations.Network5;

    /// <summary>What a reviewer must look at, whatever the scan found (the backend can send SMS or e-mail on its own).</summary>
    internal static readonly IReadOnlyList<string> FlowsToReview =
    [
        "account recovery and password reset (is a code or link sent by SMS or e-mail enough on its own?)",
        "enrolment, device binding and adding a new device",
        "login second factor (SMS one-time codes)",
        "approval of payments, transfers or changes of contact details",
        "secrets or personal data sent by SMS or e-mail",
    ];

    public static void Assert(StaticScans scans, string app)
    {
        var outcome = scans.Require(app);

        var rules = RequirementCheck.RulesFor(Requirement, RuleFamily.Channel);
        var findings = outcome.Result!.For(rules);
        Evidence.Record(app, Requirement, RuleFamily.Channel, rules, findings);

        var bundleId = outcome.Result.Bundles.FirstOrDefault(b => b.Kind == Mstg.Bundles.BundleKind.App)?.BundleIdentifier
            ?? outcome.Result.Bundles.FirstOrDefault()?.BundleIdentifier;
        var today = DateOnly.FromDateTime(SuiteSettings.Clock.GetUtcNow().UtcDateTime);
        var attestation = Find(bundleId, today, out var coverage);

        if (attestation is not null && !attestation.IsExpired(today))
        {
            var output = TestContext.Current.TestOutputHelper;
            output?.WriteLine($"Attested: {attestation}.");
            foreach (var flow in attestation.Flows) output?.WriteLine($"  flow reviewed: {flow}");
            if (attestation.Notes is { } notes) output?.WriteLine($"  notes: {notes}");
            AllureApi.Parameter("reviewer", attestation.Reviewer);
            AllureApi.Parameter("reviewed on", attestation.Date.ToString("yyyy-MM-dd"));
            AllureApi.AttachText("attestation", Describe(attestation));
            Run.RunLog.Record($"{Requirement} {TestContext.Current.Test?.TestDisplayName}", Run.TestOutcome.Passed);
            return;
        }

        var why = attestation is not null
            ? $"The attestation ({attestation}) expired on {attestation.ValidUntil:yyyy-MM-dd}: review the flows again and renew it."
            : $"No attestation for {bundleId ?? "this app"}: {coverage}";
        var message = ReviewRequest(why, findings);
        AllureApi.AttachText("what to review", message);
        Run.RunLog.Record($"{Requirement} {TestContext.Current.Test?.TestDisplayName}", Run.TestOutcome.Skipped);
        Xunit.Assert.Skip(message);
    }

    /// <summary>The newest attestation naming <paramref name="bundleId"/>; <paramref name="coverage"/> says what was configured otherwise.</summary>
    private static ReviewAttestation? Find(string? bundleId, DateOnly today, out string coverage)
    {
        if (SuiteSettings.Network5Attestation is not { } setting)
        {
            coverage = $"{SuiteSettings.Network5AttestationVariable} is not set.";
            return null;
        }
        IReadOnlyList<ReviewAttestation> all;
        try
        {
            all = ReviewAttestations.Load(setting, today);
        }
        catch (MstgInputException e)
        {
            // A broken configuration, not a product defect and not a pass.
            throw new InvalidOperationException(MstgCategories.Tag(MstgCategories.Environment,
                $"{SuiteSettings.Network5AttestationVariable} is malformed: {e.Message}. See docs/attestations.md."), e);
        }
        coverage = $"{SuiteSettings.Network5AttestationVariable} covers {string.Join(", ", all.Select(a => a.App).Distinct())} only.";
        return all.Where(a => string.Equals(a.App, bundleId, StringComparison.Ordinal)).MaxBy(a => a.Date);
    }

    private static string ReviewRequest(string why, IReadOnlyList<Finding> findings)
    {
        var sb = new StringBuilder();
        sb.Append($"{Requirement} needs a human review: no scan can show that critical operations do not rely on SMS or e-mail. {why}");
        sb.Append("\nReview: ").Append(string.Join("; ", FlowsToReview)).Append('.');
        var evidence = findings.Where(f => f.Verdict is Verdict.Info or Verdict.Warn or Verdict.Fail).ToList();
        if (evidence.Count == 0)
            sb.Append("\nThe app's code shows no SMS or e-mail use (MessageUI, sms:, smsto:, mailto:); messages sent by the backend are not visible to a scan and still need the review.");
        foreach (var f in evidence)
            sb.Append($"\nEvidence: {f.RuleId} [{f.Bundle}] {f.Location}: {f.Evidence?.ReplaceLineEndings("; ")}");
        foreach (var f in findings.Where(f => f.Verdict == Verdict.Skipped))
            sb.Append($"\nNot examined: [{f.Bundle}] {f.Message}");
        sb.Append($"\nRecord the review in {SuiteSettings.Network5AttestationVariable} (docs/attestations.md) for this test to pass.");
        return sb.ToString();
    }

    private static string Describe(ReviewAttestation a)
    {
        var sb = new StringBuilder();
        sb.AppendLine(a.ToString()).AppendLine($"source: {a.Source}");
        foreach (var flow in a.Flows) sb.AppendLine($"flow reviewed: {flow}");
        if (a.Notes is { } notes) sb.AppendLine($"notes: {notes}");
        return sb.ToString();
    }
}
