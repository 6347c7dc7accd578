using System.Text;
using Mstg.Allure.Categories;
using Mstg.Analysis.Scanning;
using Mstg.Suites.Run;

namespace Mstg.Suites.Static;

/// <summary>
/// Turns the findings of one rule family for one requirement into a test outcome: any Fail fails the test with the
/// findings as the message; Skipped findings alone skip it with their reason; warnings pass, but are written to the
/// test output, tagged in Allure and listed at the end of the run (<see cref="Warnings"/>).
/// </summary>
public static class RequirementCheck
{
    public static void Assert(StaticScans scans, string app, string requirement, RuleFamily family)
    {
        var outcome = scans.Require(app);

        // A rule belongs to every requirement it counts under (RuleDescriptor.Requirements), not only its primary one:
        // ATS switched off fails the cleartext test of MSTG-NETWORK-1 and the TLS-settings test of MSTG-NETWORK-2.
        var rules = RulesFor(requirement, family);
        var findings = outcome.Result!.For(rules);
        Evidence.Record(app, requirement, family, rules, findings);

        var test = $"{requirement} {TestContext.Current.Test?.TestDisplayName ?? family.ToString()}";
        var failures = findings.Where(f => f.Verdict == Verdict.Fail).ToList();
        if (failures.Count > 0)
        {
            var waivers = Waivers.SuiteWaivers.Check(test, failures);
            RunLog.Record(test, TestOutcome.Failed);
            throw new RequirementFailedException(Describe(requirement, failures) + waivers);
        }

        var skipped = findings.Where(f => f.Verdict == Verdict.Skipped).ToList();
        if (skipped.Count > 0)
        {
            RunLog.Record(test, TestOutcome.Skipped);
            Xunit.Assert.Skip(string.Join(" ", skipped.Select(f => f.Message).Distinct()));
        }
        Warnings.Report(test, findings);
    }

    /// <summary>The rules one suite test looks at: those of <paramref name="family"/> that count under <paramref name="requirement"/>.</summary>
    public static IReadOnlyList<string> RulesFor(string requirement, RuleFamily family) =>
        RuleCatalog.For(requirement, family).Select(r => r.Id).ToList();

    private static string Describe(string requirement, IReadOnlyList<Finding> failures)
    {
        var sb = new StringBuilder();
        sb.Append(MstgCategories.Tag(Category(requirement), $"{requirement}: {failures.Count} finding(s) fail"));
        foreach (var f in failures)
            sb.Append($"\n- {f.Describe()}");
        return sb.ToString();
    }

    /// <summary>
    /// The category tag that starts a failure message (docs/allure.md: reviewers filter on it): the tested requirement's
    /// category in <see cref="RequirementTable"/>. A rule counting under several requirements is filed by the requirement
    /// being tested: ATS switched off is cleartext under MSTG-NETWORK-1 and weak TLS under MSTG-NETWORK-2.
    /// </summary>
    internal static string Category(string requirement) => RequirementTable.Get(requirement).Category.Tag;
}

/// <summary>
/// A requirement is not met; the message lists every failing finding. Marked as an assertion so runners and Allure
/// report the test as failed (a product defect), not broken (a test or environment problem).
/// </summary>
public sealed class RequirementFailedException(string message) : Exception(message), Xunit.Sdk.IAssertionException;
