using System.Text;
using Mstg.Allure.Categories;
using Mstg.Allure.Xunit.Attributes;
using Mstg.ServerTls;
using Mstg.Suites.Run;
using Mstg.Suites.Static;

namespace Mstg.Suites.Server;

/// <summary>
/// The server suite: one theory whose rows are the server checks of <see cref="RequirementTable"/> (MSTG-NETWORK-2: what
/// the endpoint accepts and serves; MSTG-NETWORK-4: whether the app's pins match it) times the configured endpoints
/// (<see cref="ServerEndpoints"/>). Rows carry the same traits as the static rows (<c>Requirement</c>, <c>Kind=server</c>,
/// <c>Level</c>, <c>Family</c>), so <c>dotnet test --filter Kind=server</c> selects them. Outcomes: a failing finding of
/// the check's rules fails the row with the findings named; no endpoint configured skips it with the reason; an endpoint
/// that cannot be probed (or a bad setting) is an environment problem (Allure: broken), never a pass.
/// </summary>
[Run.AppIdentity]
public sealed class ServerRequirements(ServerProbes probes)
{
    /// <summary>The Allure parent suite of every server row.</summary>
    public const string ParentSuite = "Server endpoints";

    public static TheoryData<string, string> Rows => Build(ServerEndpoints.Keys);

    /// <summary>Requirement × server check × endpoint, in table order.</summary>
    public static TheoryData<string, string> Build(IReadOnlyList<string> endpoints)
    {
        var rows = new TheoryData<string, string>();
        foreach (var requirement in RequirementTable.Requirements)
            foreach (var check in requirement.Checks.Where(c => c.Kind == CheckKind.Server))
                foreach (var endpoint in endpoints)
                {
                    var row = new TheoryDataRow<string, string>(requirement.MstgId, endpoint).WithTestDisplayName($"{check.Title}(endpoint: \"{endpoint}\")");
                    row.Label = "";
                    row.WithTrait("parentSuite", ParentSuite).WithTrait("suite", requirement.Suite).WithTrait(StaticRequirements.FamilyTrait, check.Family.ToString());
                    foreach (var (name, value) in MstgRequirementAttribute.TraitsFor(requirement, check)) row.WithTrait(name, value);
                    rows.Add(row);
                }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Endpoint_meets_the_requirement(string requirement, string endpoint)
    {
        var test = $"{requirement} {TestContext.Current.Test?.TestDisplayName ?? endpoint}";
        if (endpoint == ServerEndpoints.NotConfigured)
        {
            RunLog.Record(test, TestOutcome.Skipped);
            Assert.Skip(ServerEndpoints.NoEndpointReason);
        }
        var run = await probes.RunAsync();
        if (run.Problem is { } problem) throw Environment(test, $"Not tested: {problem}");
        var report = run.For(endpoint) ?? throw Environment(test, $"Not tested: {endpoint} was not probed");
        if (report.Status != ProbeStatus.Probed)
            throw Environment(test, $"Not tested: {endpoint} could not be probed ({report.Status}): {report.Problem}");

        var rules = RuleCatalog.For(requirement, RuleFamily.Server).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (requirement == RequirementTable.Network4 && run.App is null)
        {
            RunLog.Record(test, TestOutcome.Skipped);
            Assert.Skip($"No app configured whose pins could be compared with the chain {endpoint} serves: set {Configuration.SuiteSettings.AppVariable}.");
        }
        var findings = ServerFindings.For(report, run.App).Where(f => rules.Contains(f.RuleId)).ToList();
        foreach (var f in findings) TestContext.Current.TestOutputHelper?.WriteLine(f.ToString());

        var failures = findings.Where(f => f.Verdict == Verdict.Fail).ToList();
        if (failures.Count > 0)
        {
            var waivers = Waivers.SuiteWaivers.Check(test, failures);
            RunLog.Record(test, TestOutcome.Failed);
            var sb = new StringBuilder(MstgCategories.Tag(RequirementCheck.Category(requirement), $"{requirement}: {failures.Count} finding(s) fail on {endpoint}"));
            foreach (var f in failures) sb.Append($"\n- {f.Describe()}");
            throw new RequirementFailedException(sb.Append(waivers).ToString());
        }
        // Parts the prober could not read (SERVER-PROBE-FAILED): not tested in full, so not a pass.
        var skipped = findings.Where(f => f.Verdict == Verdict.Skipped).ToList();
        if (skipped.Count > 0)
        {
            RunLog.Record(test, TestOutcome.Skipped);
            Assert.Skip(string.Join(" ", skipped.Select(f => f.Message).Distinct()));
        }
        Warnings.Report(test, findings);
    }

    private static SuiteConfigurationException Environment(string test, string message)
    {
        RunLog.Record(test, TestOutcome.EnvironmentError);
        return new SuiteConfigurationException(MstgCategories.Tag(MstgCategories.Environment, message));
    }
}
