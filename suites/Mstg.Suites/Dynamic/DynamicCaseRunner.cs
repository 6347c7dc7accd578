using Mstg.Allure.Categories;
using Mstg.Allure.Runtime;
using Mstg.Dynamic.Expectations;
using Mstg.Dynamic.Judging;
using Mstg.Proxy.Certificates;
using Mstg.Suites.Configuration;
using Mstg.Suites.Run;

namespace Mstg.Suites.Dynamic;

/// <summary>
/// The body every dynamic case shares: get the condition's window (the run's proxy and app start on first use), judge it
/// for the host, record the evidence, and end as the judge says: pass; fail (a product defect); pass with a warning
/// (pinning below L2); skip with the reason (nothing to judge); or broken (the environment could not run the case).
/// </summary>
public static class DynamicCaseRunner
{
    /// <summary>Conditions the target cannot be tested under, ','-separated (a farm without TLS 1.0, …): those cases skip.</summary>
    public const string UnsupportedConditionsVariable = "MSTG_DYNAMIC_UNSUPPORTED_CONDITIONS";

    public static async Task RunAsync(DynamicRun run, Static.StaticScans scans, string target, string probeId, string host)
    {
        // The target is part of the Allure history only when there are several (one target keeps the history it had).
        AllureApi.Parameter("target", target, excluded: !run.SeveralTargets);
        var on = run.SeveralTargets ? $" on {target}" : "";
        if (host == DynamicCases.NoDeviceConfigured)
        {
            // probeId is the requirement here: one row per requirement stands for all its probes.
            RunLog.Record($"{probeId} dynamic ({host})", TestOutcome.Skipped);
            var reason = "No device configured: set MSTG_DRIVER and its settings to run the dynamic cases (docs/devices.md, docs/dynamic.md).";
            run.Verdicts.Add(target, probeId, probeId, "", host, "skipped", reason);
            Assert.Skip(reason);
        }
        var probe = DynamicExpectations.Get(probeId);
        var test = $"{probe.Requirement} {probe.Title} ({host}, {probe.ConditionName}){on}";
        var ct = TestContext.Current.CancellationToken;

        if (host == DynamicCases.NoHostConfigured)
            Skip(run, target, probe, host, test, $"No first-party host configured: set {DynamicSettings.FirstPartyHostsVariable} (docs/dynamic.md); " +
                                         "the run-wide cleartext case lists the hosts the app talked to.");
        if (SuiteSettings.ProfileProblem is { } profileProblem)
            Skip(run, target, probe, host, test, MstgCategories.Tag(MstgCategories.Environment, $"Not tested: {profileProblem}"));
        ConditionWindow window;
        try
        {
            if (Unsupported().Contains(probe.Condition))
                Skip(run, target, probe, host, test, $"The target cannot be tested under {probe.ConditionName} ({UnsupportedConditionsVariable}).");
            window = await run.WindowAsync(target, probe.Condition, ct).ConfigureAwait(false);
        }
        catch (DynamicEnvironmentException e)
        {
            RunLog.Record(test, TestOutcome.EnvironmentError);
            run.Verdicts.Add(target, probe.Id, probe.Requirement, probe.ConditionName, host, "broken", e.Message);
            throw new DynamicEnvironmentException(MstgCategories.Tag(MstgCategories.Environment, $"Not tested{on}: {e.Message}"), e);
        }

        var knowledge = run.StaticKnowledgeFor(scans);
        var judgement = DynamicJudge.Judge(new DynamicCase(probe, host, window.Events, SuiteSettings.Profile,
            knowledge.PredictionFor(host), knowledge.CleartextUrls, run.CaTrustOf(target)));
        DynamicEvidence.Record(judgement, window, knowledge.Note, run.SeveralTargets ? target : null);
        if (host == DynamicJudge.AnyHost) ReportHostsSeen(run, window);
        run.Verdicts.Add(target, judgement, judgement.Outcome.ToString().ToLowerInvariant(), judgement.Reason);

        switch (judgement.Outcome)
        {
            case CaseOutcome.Fail:
                var waivers = Waivers.SuiteWaivers.Check(test, judgement.Findings.Where(f => f.Verdict == Verdict.Fail).ToList(), probe.Id);
                RunLog.Record(test, TestOutcome.Failed);
                throw new DynamicRequirementFailedException(MstgCategories.Tag(Static.RequirementCheck.Category(probe.Requirement), $"{probe.Requirement}{on}: {judgement.Reason}{waivers}"));
            case CaseOutcome.NotApplicable:
                RunLog.Record(test, TestOutcome.Skipped);
                Assert.Skip(run.SeveralTargets ? $"{target}: {judgement.Reason}" : judgement.Reason);
                break;
            case CaseOutcome.Warn:
                RunLog.Record(test, TestOutcome.PassedWithWarnings, [judgement.Reason]);
                AllureApi.Label("tag", Static.Warnings.Tag);
                TestContext.Current.AddWarning(judgement.Reason);
                break;
            default:
                RunLog.Record(test, TestOutcome.Passed);
                break;
        }
    }

    /// <summary>Hosts the app talked to that are not first-party: listed, never added to the cases.</summary>
    private static void ReportHostsSeen(DynamicRun run, ConditionWindow window)
    {
        var others = window.HostsSeen.Where(h => !run.FirstPartyHosts.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        if (others.Count == 0) return;
        var line = $"Hosts the app talked to that are not first-party (not tested under the conditions; add them to {DynamicSettings.FirstPartyHostsVariable} to test them): {string.Join(", ", others)}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        AllureApi.AttachText("hosts seen, not configured", string.Join("\n", others));
    }

    private static void Skip(DynamicRun run, string target, ConditionProbe probe, string host, string test, string reason)
    {
        RunLog.Record(test, TestOutcome.Skipped);
        run.Verdicts.Add(target, probe.Id, probe.Requirement, probe.ConditionName, host, "skipped", reason);
        Assert.Skip(reason);
    }

    internal static HashSet<CertificateCondition> Unsupported() =>
        (SuiteSettings.Read(UnsupportedConditionsVariable).Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(name => CertificateConditions.TryParse(name, out var c) ? c
            : throw new DynamicEnvironmentException($"{UnsupportedConditionsVariable}: unknown condition '{name}' (known: {string.Join(", ", CertificateConditions.Names)})"))
        .ToHashSet();
}

/// <summary>A dynamic case's requirement is not met. An assertion, so runners and Allure report it failed (a product defect), not broken.</summary>
public sealed class DynamicRequirementFailedException(string message) : Exception(message), Xunit.Sdk.IAssertionException
{
    public override string? StackTrace => null;
}
