using System.Text.Json.Nodes;
using Mstg.Allure.Report;

namespace Mstg.Allure.Tests.EndToEnd;

/// <summary>The sample's results rendered by the real, repository-pinned Allure 2 (Java) and Allure 3 (node).</summary>
[Collection(SampleRunCollection.Name)]
public class GeneratedReportTests(SampleRun run)
{
    private static readonly Dictionary<string, string> ExpectedStatus = new()
    {
        ["Passes"] = "passed", ["FailsOnAssertion"] = "failed", ["BreaksOnOtherException"] = "broken",
        ["SkippedStatically"] = "skipped", ["SkippedAtRunTime"] = "skipped", ["TimesOut"] = "broken",
        ["FailingStepMarksStepFailed"] = "failed", ["NeedsDevice"] = "broken", ["FirstUser"] = "passed",
        ["RecordsStepsAndAttachments"] = "passed", ["OddAttachmentName"] = "passed", ["WritesOutput"] = "passed",
    };

    private static List<JsonObject> ReadAll(string folder) =>
        Directory.EnumerateFiles(folder, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();

    private static JsonObject Named(List<JsonObject> tests, string name) => tests.Single(t => (string?)t["name"] == name);

    [Fact]
    public void Allure2_shows_every_test_with_status_labels_parameters_steps_fixtures_and_attachments()
    {
        var report = Path.GetDirectoryName(run.Report(AllureEngine.Allure2))!;
        var tests = ReadAll(Path.Combine(report, "data", "test-cases"));
        tests.Should().HaveCount(run.Results.Count);
        foreach (var (name, status) in ExpectedStatus) ((string?)Named(tests, name)["status"]).Should().Be(status, name);

        var passes = Named(tests, "Passes");
        passes["labels"]!.AsArray().Select(l => $"{l!["name"]}={l["value"]}")
            .Should().Contain(["epic=MASVS-NETWORK-1", "feature=MSTG-NETWORK-1", "story=MASTG-TEST-0322", "severity=critical"]);

        var theory = Named(tests, "Connects(host: \"example.com\", port: 443, seed: 1111)");
        theory["parameters"]!.AsArray().Select(p => $"{p!["name"]}={p["value"]}").Should().Contain(["host=\"example.com\"", "port=443"]);

        var steps = Named(tests, "RecordsStepsAndAttachments")["testStage"]!;
        ((string?)steps["steps"]![0]!["name"]).Should().Be("outer step");
        ((string?)steps["steps"]![0]!["steps"]![0]!["name"]).Should().Be("inner async step");
        // A size of 0 is how Allure 2 shows an attachment whose source it could not resolve.
        steps["attachments"]!.AsArray().Should().HaveCount(3).And.OnlyContain(a => (long)a!["size"]! > 0);
        var odd = Named(tests, "OddAttachmentName")["testStage"]!["attachments"]![0]!;
        ((string?)odd["name"]).Should().Be("report: <weird>/name?*|\"ü 100%.txt");
        ((long)odd["size"]!).Should().Be("odd name content".Length);

        var fixtureUser = Named(tests, "FirstUser");
        fixtureUser["beforeStages"]!.AsArray().Select(s => (string)s!["name"]!).Should().Contain("start proxy");
        fixtureUser["afterStages"]!.AsArray().Select(s => (string)s!["name"]!).Should().Contain("stop proxy");
        ((string?)Named(tests, "NeedsDevice")["beforeStages"]![0]!["status"]).Should().Be("broken");

        var behaviors = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "data", "behaviors.json")))!;
        var epic = behaviors["children"]!.AsArray().Single(c => (string?)c!["name"] == "MASVS-NETWORK-1")!;
        var feature = epic["children"]!.AsArray().Single(c => (string?)c!["name"] == "MSTG-NETWORK-1")!;
        var story = feature["children"]!.AsArray().Single(c => (string?)c!["name"] == "MASTG-TEST-0322")!;
        story["children"]!.AsArray().Select(c => (string)c!["name"]!).Should().Contain("Passes");

        var categories = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "data", "categories.json")))!["children"]!.AsArray();
        string[] InCategory(string name) => categories.Single(c => (string?)c!["name"] == name)!["children"]!.AsArray()
            .SelectMany(m => m!["children"]!.AsArray()).Select(t => (string)t!["name"]!).ToArray();
        InCategory("Cleartext traffic").Should().Equal("FailsOnAssertion");
        InCategory("Environment problem").Should().Contain(["BreaksOnOtherException", "SkippedAtRunTime", "NeedsDevice"]);
    }

    [Fact]
    public void Allure3_shows_every_test_with_status_labels_parameters_steps_fixtures_attachments_and_our_categories()
    {
        var report = Path.GetDirectoryName(run.Report(AllureEngine.Allure3))!;
        var tests = ReadAll(Path.Combine(report, "data", "test-results"));
        tests.Should().HaveCount(run.Results.Count);
        foreach (var (name, status) in ExpectedStatus) ((string?)Named(tests, name)["status"]).Should().Be(status, name);

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "summary.json")))!["stats"]!;
        ((int)summary["total"]!).Should().Be(run.Results.Count);
        ((int)summary["failed"]!).Should().Be(2);
        ((int)summary["broken"]!).Should().Be(3);
        ((int)summary["skipped"]!).Should().Be(2);

        Named(tests, "Passes")["labels"]!.AsArray().Select(l => $"{l!["name"]}={l["value"]}")
            .Should().Contain(["epic=MASVS-NETWORK-1", "feature=MSTG-NETWORK-1", "story=MASTG-TEST-0322", "tag=L1"]);

        var theory = Named(tests, "Connects(host: \"example.org\", port: 8443, seed: 2222)");
        theory["parameters"]!.AsArray().Select(p => $"{p!["name"]}={p["value"]}:{p["excluded"]}")
            .Should().Contain(["host=\"example.org\":false", "seed=2222:true"]);
        ((bool)Named(tests, "UsesToken(token: \"s3cr3t\")")["parameters"]![0]!["masked"]!).Should().BeTrue();

        var outer = Named(tests, "RecordsStepsAndAttachments")["steps"]![0]!;
        ((string?)outer["name"]).Should().Be("outer step");
        var inner = outer["steps"]!.AsArray().Single(s => (string?)s!["type"] == "step")!;
        ((string?)inner["name"]).Should().Be("inner async step");
        var link = inner["steps"]![0]!["link"]!;
        ((bool)link["missed"]!).Should().BeFalse();
        ((string?)link["name"]).Should().Be("payload");
        File.Exists(Path.Combine(report, "data", "attachments", (string)link["id"]! + (string)link["ext"]!)).Should().BeTrue();

        var odd = Named(tests, "OddAttachmentName")["steps"]![0]!["link"]!;
        ((bool)odd["missed"]!).Should().BeFalse();
        ((string?)odd["name"]).Should().Be("report: <weird>/name?*|\"ü 100%.txt");

        var user = Named(tests, "SecondUser");
        user["setup"]!.AsArray().Select(s => (string)s!["name"]!).Should().Contain("start proxy");
        user["teardown"]!.AsArray().Select(s => (string)s!["name"]!).Should().Contain("stop proxy");

        var categories = File.ReadAllText(Path.Combine(report, "widgets", "categories.json"));
        categories.Should().Contain("Cleartext traffic").And.Contain("Environment problem",
            "Allure 3 only knows our categories through the generated allurerc.json");
    }

    [Theory]
    [InlineData(AllureEngine.Allure2)]
    [InlineData(AllureEngine.Allure3)]
    public void Single_file_report_is_one_self_contained_html(AllureEngine engine)
    {
        var index = run.Report(engine, singleFile: true);
        File.Exists(index).Should().BeTrue();
        new FileInfo(index).Length.Should().BeGreaterThan(100_000);
        Directory.Exists(Path.Combine(Path.GetDirectoryName(index)!, "data")).Should().BeFalse("everything is inlined");
    }

    [Fact]
    public async Task Generator_refuses_a_missing_or_empty_results_folder_with_a_typed_error()
    {
        var generator = new AllureReportGenerator(RepoPaths.Root);
        var missing = Path.Combine(run.Root, "no-such-results");
        var act = () => generator.GenerateAsync(new AllureReportRequest { ResultsDirectory = missing, OutputDirectory = missing + "-out" });
        (await act.Should().ThrowAsync<AllureInputException>()).Which.Source.Should().Be(missing);

        var empty = Directory.CreateDirectory(Path.Combine(run.Root, "empty-results")).FullName;
        var actEmpty = () => generator.GenerateAsync(new AllureReportRequest { ResultsDirectory = empty, OutputDirectory = empty + "-out" });
        (await actEmpty.Should().ThrowAsync<AllureInputException>()).Which.Problem.Should().Contain("*-result.json");
    }

    [Fact]
    public async Task Generator_names_the_missing_npm_package()
    {
        var generator = new AllureReportGenerator(Path.Combine(run.Root, "not-a-repo"));
        var act = () => generator.GenerateAsync(new AllureReportRequest { ResultsDirectory = run.ResultsDirectory, OutputDirectory = Path.Combine(run.Root, "x") });
        (await act.Should().ThrowAsync<AllureToolException>()).Which.Message.Should().Contain("allure-commandline").And.Contain("npm ci");
    }

    [Fact]
    public async Task Command_entry_returns_exit_codes_and_prints_the_index()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var output = Path.Combine(run.Root, "cmd-report");
        var code = await AllureReportCommand.RunAsync(
            new AllureReportOptions { Results = run.ResultsDirectory, Output = output, Engine = AllureEngine.Allure3, RepoRoot = RepoPaths.Root }, stdout, stderr);
        code.Should().Be(0, stderr.ToString());
        stdout.ToString().Trim().Should().Be(Path.Combine(output, "index.html"));
        // Argument errors (a missing --output, an unknown engine) are the mstg command line's: tests/Mstg.Cli.Tests.
        (await AllureReportCommand.RunAsync(new AllureReportOptions { Results = Path.Combine(run.Root, "no-such-results"), Output = output }, stdout, stderr))
            .Should().Be(2, "a results folder that does not exist is bad input");
    }
}
