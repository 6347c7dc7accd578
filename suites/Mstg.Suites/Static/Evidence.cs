using System.Text.Json;
using Mstg.Allure.Runtime;

namespace Mstg.Suites.Static;

/// <summary>
/// Puts every finding a test looked at into the report: the test output (shown in any runner) and, for Allure,
/// a step per finding plus the findings as JSON, so passing tests also show their evidence.
/// </summary>
internal static class Evidence
{
    public static void Record(string app, string requirement, RuleFamily family, IReadOnlyList<string> rules, IReadOnlyList<Finding> findings)
    {
        var output = TestContext.Current.TestOutputHelper;
        var identity = SuiteApps.Get(app);
        // The full hash, not Describe()'s short one: TRX carries the app's identity only through the test output.
        output?.WriteLine($"App: {identity.Describe()}");
        if (identity.Sha256 is { } sha) output?.WriteLine($"App file sha256: {sha}");
        output?.WriteLine($"{requirement}, {family} rules: {string.Join(", ", rules)}");
        if (findings.Count == 0) output?.WriteLine("No findings.");

        foreach (var f in findings)
        {
            var line = $"{f.Verdict.ToString().ToUpperInvariant()} {f.RuleId} {f.Subject.Display}{(f.ShowsDomain ? $" ({f.Domain})" : "")}";
            output?.WriteLine(line);
            output?.WriteLine($"        {f.Message}");
            if (!string.IsNullOrEmpty(f.Evidence)) output?.WriteLine($"        evidence: {f.Evidence.ReplaceLineEndings(" ")}");

            using var step = AllureApi.Step(line);
            if (!string.IsNullOrEmpty(f.Evidence)) AllureApi.AttachText("evidence", f.Evidence);
            if (f.Verdict == Verdict.Fail) step.Fail(new Xunit.Sdk.XunitException(f.Message));
        }

        AllureApi.Parameter("profile", Configuration.SuiteSettings.Profile.ToString());
        // The file and version change between builds; the history of a test follows the bundle id (its theory argument).
        AllureApi.Parameter("file", identity.FileName, excluded: true);
        if (identity.Version is not null) AllureApi.Parameter("version", $"{identity.Version} ({identity.Build})", excluded: true);
        AllureApi.AttachJson("findings.json", JsonSerializer.Serialize(findings.Select(f => new
        {
            f.RuleId, verdict = f.Verdict.ToString().ToLowerInvariant(), severity = f.Severity.ToString().ToLowerInvariant(),
            f.MstgId, f.MasvsId, f.MastgTests, kind = f.Kind.Name(), subject = f.Subject.Display, f.Bundle, f.Location, f.Domain, f.Message, f.Evidence,
        }), new JsonSerializerOptions { WriteIndented = true }));
        foreach (var rule in rules) AllureApi.Label("rule", rule);
    }
}
