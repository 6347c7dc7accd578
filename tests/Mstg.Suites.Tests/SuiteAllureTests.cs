using System.Text.Json;
using Mstg.Allure.Report;

namespace Mstg.Suites.Tests;

/// <summary>
/// The suite's Allure output as a reviewer gets it: every test has a result with the requirement labels, failures
/// carry their findings and category, and the real Allure 2 generator (pinned in package.json) builds the
/// MASVS → MSTG → MASTG tree from them.
/// </summary>
public sealed class SuiteAllureTests(KnownAnswerTests.BothApps apps) : IClassFixture<KnownAnswerTests.BothApps>
{
    private readonly SuiteRun _run = apps.L2;

    private IReadOnlyList<JsonElement> Results =>
        Directory.GetFiles(_run.AllureResults, "*-result.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();

    private static string? Label(JsonElement result, string name) =>
        result.GetProperty("labels").EnumerateArray().Where(l => l.GetProperty("name").GetString() == name)
            .Select(l => l.GetProperty("value").GetString()).FirstOrDefault();

    private static IEnumerable<string?> Labels(JsonElement result, string name) =>
        result.GetProperty("labels").EnumerateArray().Where(l => l.GetProperty("name").GetString() == name).Select(l => l.GetProperty("value").GetString());

    [Fact]
    public void Every_suite_test_has_a_result_with_its_requirement_labels()
    {
        var results = Results;
        results.Should().HaveCount(_run.Tests.Count);
        // Every requirement test; the one "Run configuration" test stands apart in its own suite.
        results.Where(r => Label(r, "parentSuite") == "Run").Select(r => Label(r, "epic")).Should().Equal("Run");
        foreach (var r in results.Where(r => Label(r, "parentSuite") != "Run"))
        {
            Label(r, "epic").Should().MatchRegex("^MASVS-NETWORK-[12]$");
            Label(r, "feature").Should().MatchRegex("^MSTG-NETWORK-[1-6]$");
            Label(r, "story").Should().NotBeNullOrEmpty();
            Labels(r, "tag").Should().Contain(t => t == "static" || t == "dynamic" || t == "server");
        }
        results.Where(r => Label(r, "feature") == "MSTG-NETWORK-4").Should().OnlyContain(r => Label(r, "epic") == "MASVS-NETWORK-2" && Labels(r, "tag").Contains("L2"));
    }

    [Fact]
    public void Rows_of_the_one_theory_keep_apart_in_history_by_requirement_family_and_bundle_id()
    {
        // One theory, so one fullName: the history of a row follows its parameters (requirement, family, app), and the app is
        // the bundle id, never the path of the .ipa (which changes between CI workspaces).
        var rows = Results.Where(r => Label(r, "parentSuite") == "Static analysis").ToList();
        rows.Should().HaveCount(_run.Tests.Count(t => t.IsKind("static")));
        rows.Select(r => r.GetProperty("historyId").GetString()).Should().OnlyHaveUniqueItems();
        rows.Select(r => r.GetProperty("fullName").GetString()).Distinct().Should().ContainSingle();
        foreach (var r in rows)
        {
            var parameters = r.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString()!);
            parameters["requirement"].Should().Contain(Label(r, "feature")!);
            parameters["family"].Should().Contain(Label(r, "Family")!);
            parameters["app"].Should().MatchRegex("com\\.example\\.(secure|insecure)bank").And.NotContain(".ipa").And.NotContain("/");
        }
    }

    [Fact]
    public void Failed_results_carry_findings_category_tag_and_evidence_attachments()
    {
        var failed = Results.Where(r => r.GetProperty("status").GetString() == "failed").ToList();
        failed.Should().HaveCount(_run.Tests.Count(t => t.Result == "Fail"));
        foreach (var r in failed)
        {
            r.GetProperty("name").GetString().Should().Contain(KnownAnswerTests.InsecureBankId);
            r.GetProperty("statusDetails").GetProperty("message").GetString().Should().MatchRegex(@"^\[[a-z-]+\] MSTG-NETWORK-\d: \d+ finding");
            var attachments = r.GetProperty("attachments").EnumerateArray().ToList();
            attachments.Select(a => a.GetProperty("name").GetString()).Should().Contain("findings.json");
            foreach (var a in attachments)
                File.Exists(Path.Combine(_run.AllureResults, a.GetProperty("source").GetString()!)).Should().BeTrue();
            r.GetProperty("steps").EnumerateArray().Should().Contain(s => s.GetProperty("status").GetString() == "failed");
        }
    }

    [Fact]
    public async Task Real_allure_report_groups_tests_by_masvs_then_mstg_then_story()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("mstg-suite-report-").FullName, "report");
        await new AllureReportGenerator(Mstg.Fixtures.RepositoryLayout.Root).GenerateAsync(
            new AllureReportRequest { ResultsDirectory = _run.AllureResults, OutputDirectory = output }, TestContext.Current.CancellationToken);

        using var behaviors = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "data", "behaviors.json")));
        var epics = behaviors.RootElement.GetProperty("children").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        epics.Keys.Should().BeEquivalentTo(["MASVS-NETWORK-1", "MASVS-NETWORK-2", "Run"]);
        epics["MASVS-NETWORK-1"].GetProperty("children").EnumerateArray().Select(f => f.GetProperty("name").GetString())
            .Should().BeEquivalentTo(["MSTG-NETWORK-1", "MSTG-NETWORK-2", "MSTG-NETWORK-3", "MSTG-NETWORK-5", "MSTG-NETWORK-6"]);
        var pinning = epics["MASVS-NETWORK-2"].GetProperty("children")[0];
        pinning.GetProperty("name").GetString().Should().Be("MSTG-NETWORK-4");
        pinning.GetProperty("children").EnumerateArray().Select(s => s.GetProperty("name").GetString())
            .Should().BeEquivalentTo(["MASTG-TEST-0385", "MASTG-TEST-0068", "MASTG-TEST-0244", RuleCatalog.PinNoMatch]);

        // mstg report without --name titles the report with the app, not the tool and a date.
        var named = Path.Combine(Path.GetDirectoryName(output)!, "named");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        (await AllureReportCommand.RunAsync(new AllureReportOptions { Results = _run.AllureResults, Output = named, RepoRoot = Mstg.Fixtures.RepositoryLayout.Root }, stdout, stderr))
            .Should().Be(0, stderr.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(named, "widgets", "summary.json")));
        summary.RootElement.GetProperty("reportName").GetString().Should().Be("MstgTests: com.example.insecurebank 1.0 (1), com.example.securebank 1.0 (1), MSTG L2");

        using var categories = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "data", "categories.json")));
        categories.RootElement.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Contain(["Certificate not validated", "Weak TLS", "Pinning missing", "Outdated library", "Cleartext traffic"]);
    }

    [Fact]
    public void Passed_tests_with_warnings_are_tagged_and_listed_at_the_end_of_the_run()
    {
        // InsecureBank's MSTG-NETWORK-1 binary test passes (ATS blocks what it names) but warns about cleartext URLs.
        var warned = Results.Where(r => Labels(r, "tag").Contains("has-warnings")).ToList();
        warned.Should().NotBeEmpty().And.OnlyContain(r => r.GetProperty("status").GetString() == "passed");
        warned.Should().Contain(r => r.GetProperty("name").GetString()!.StartsWith("Binaries use no cleartext endpoints")
            && r.GetProperty("name").GetString()!.Contains(KnownAnswerTests.InsecureBankId));
        // A passed test without a warning finding is not tagged.
        var cleartextFree = _run.Single(KnownAnswerTests.SecureBankId, "MSTG-NETWORK-1/Ats");
        cleartextFree.Result.Should().Be("Pass");
        Results.Where(r => Label(r, "feature") == "MSTG-NETWORK-1" && Label(r, "Family") == "Ats" && r.GetProperty("name").GetString()!.Contains($"\"{KnownAnswerTests.SecureBankId}\"")).Should().ContainSingle()
            .Which.Should().Match<JsonElement>(r => !Labels(r, "tag").Contains("has-warnings"));

        _run.Output.Should().Contain("MSTG warnings: ").And.Contain("WARN MSTG-NETWORK-1 Binaries use no cleartext endpoints")
            .And.Contain("BIN-CLEARTEXT-URL").And.Contain("MSTG outcome: failed");
        var summary = _run.Summary;
        summary.GetProperty("tests").EnumerateArray().Where(t => t.GetProperty("outcome").GetString() == "passed-with-warnings")
            .Should().HaveCount(warned.Count);
    }

    [Fact]
    public void Environment_panel_and_start_line_name_the_apps_by_bundle_id_version_build_and_hash()
    {
        var properties = File.ReadAllText(Path.Combine(_run.AllureResults, "environment.properties"));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            File.ReadAllBytes(Mstg.Fixtures.ReferenceApps.ReferenceAppCatalog.SecureBank.BuildIpa())));
        properties.Should().Contain(@"app=com.example.insecurebank, com.example.securebank")
            .And.Contain(@"com.example.securebank\ version=1.0").And.Contain(@"com.example.securebank\ build=1")
            .And.Contain(@"com.example.securebank\ file=SecureBank.ipa").And.Contain($@"com.example.securebank\ sha256={sha}")
            .And.Contain("profile=L2 (from environment MSTG_PROFILE)").And.Contain(@"device=static (from no app driver configured)");
        _run.Output.Should().Contain("MSTG run: app com.example.insecurebank 1.0 (1), InsecureBank.ipa")
            .And.Contain("(from environment MSTG_APP); profile L2 (from environment MSTG_PROFILE), requirements of level L1 and L2; device static (from no app driver configured); filter none");
        _run.Summary.GetProperty("title").GetString().Should().Be("com.example.insecurebank 1.0 (1), com.example.securebank 1.0 (1), MSTG L2");
    }
}
