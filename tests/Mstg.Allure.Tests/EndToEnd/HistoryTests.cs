using System.Text.Json.Nodes;
using Mstg.Allure.Report;

namespace Mstg.Allure.Tests.EndToEnd;

/// <summary>
/// A second run with MSTG_ALLURE_KEEP_HISTORY=true, pointed at the first run's Allure 2 report, and a different
/// seed: the real Allure 2 must file each test of run 2 under the history of the same test in run 1.
/// </summary>
[Collection(SampleRunCollection.Name)]
public class HistoryTests(SampleRun run)
{
    [Fact]
    public async Task Second_run_continues_the_history_of_the_first_even_with_a_new_excluded_seed()
    {
        var firstReport = Path.GetDirectoryName(run.Report(AllureEngine.Allure2))!;
        var results2 = Path.Combine(run.Root, "allure-results-2");
        var (exitCode, output) = SampleRun.RunSample(run.Root, results2, "trx-2", new()
        {
            ["SAMPLE_SEED"] = "2002",
            ["MSTG_ALLURE_KEEP_HISTORY"] = "true",
            ["MSTG_ALLURE_REPORT"] = firstReport,
        });
        exitCode.Should().NotBe(0, "the sample fails on purpose");
        File.Exists(Path.Combine(results2, "history", "history.json")).Should().BeTrue(output);

        var index = await new AllureReportGenerator(RepoPaths.Root).GenerateAsync(new AllureReportRequest
        {
            ResultsDirectory = results2, OutputDirectory = Path.Combine(run.Root, "report-2"),
        });
        var tests = Directory.EnumerateFiles(Path.Combine(Path.GetDirectoryName(index)!, "data", "test-cases"))
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        int PreviousRuns(string name) =>
            tests.Single(t => (string?)t["name"] == name)["extra"]?["history"]?["items"]?.AsArray().Count ?? 0;

        PreviousRuns("Passes").Should().Be(1);
        PreviousRuns("FailsOnAssertion").Should().Be(1);
        PreviousRuns("Connects(host: \"example.com\", port: 443, seed: 1111)").Should().Be(1);
        PreviousRuns("Seeded(host: \"example.net\", seed: 2002)").Should().Be(1,
            "the seed is an excluded parameter, so run 1 (seed 1001) is the same history entry");
        PreviousRuns("SeededNotExcluded(host: \"example.net\", seed: 2002)").Should().Be(0,
            "here the seed counts, so seed 2002 starts a new history entry");
    }
}
