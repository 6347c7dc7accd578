namespace Mstg.Suites.Static;

/// <summary>Writes every finding a test looked at to the test output, so passing tests also show their evidence.</summary>
internal static class Evidence
{
    public static void Record(string app, string requirement, RuleFamily family, IReadOnlyList<string> rules, IReadOnlyList<Finding> findings)
    {
        var output = TestContext.Current.TestOutputHelper;
        if (output is null) return;
        output.WriteLine($"App: {app}");
        output.WriteLine($"{requirement}, {family} rules: {string.Join(", ", rules)}");
        if (findings.Count == 0) output.WriteLine("No findings.");
        foreach (var f in findings)
        {
            output.WriteLine($"{f.Verdict.ToString().ToUpperInvariant(),-7} {f.RuleId} [{f.Bundle}] {f.Location}{(f.Domain is null ? "" : $" ({f.Domain})")}");
            output.WriteLine($"        {f.Message}");
            if (!string.IsNullOrEmpty(f.Evidence)) output.WriteLine($"        evidence: {f.Evidence.ReplaceLineEndings(" ")}");
        }
    }
}
