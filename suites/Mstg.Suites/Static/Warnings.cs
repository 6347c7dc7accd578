using Mstg.Allure.Runtime;
using Mstg.Suites.Run;

namespace Mstg.Suites.Static;

/// <summary>
/// A passing requirement test can still carry warnings (a cleartext URL in a string table, a single pin without a
/// backup). They must not hide inside the pass: each becomes an xUnit warning on the test, the Allure result gets the
/// tag <see cref="Tag"/> (filterable in the report), and the run's closing lines list them. The test still passes.
/// </summary>
public static class Warnings
{
    public const string Tag = "has-warnings";

    public static void Report(string test, IReadOnlyList<Finding> findings)
    {
        var warnings = findings.Where(f => f.Verdict == Verdict.Warn)
            .Select(f => f.Describe())
            .Distinct().ToList();
        if (warnings.Count == 0)
        {
            RunLog.Record(test, TestOutcome.Passed);
            return;
        }
        RunLog.Record(test, TestOutcome.PassedWithWarnings, warnings);
        AllureApi.Label("tag", Tag);
        foreach (var w in warnings) TestContext.Current.AddWarning(w);
    }
}
