using System.Text.Json.Nodes;
using Mstg.Allure.Report;

namespace Mstg.Allure.Tests.EndToEnd;

/// <summary>
/// History continuity with the run's device (docs/allure.md, "Several devices in one report"), on the real Allure 2:
/// after a run without a device, a run whose device only describes it (MSTG_ALLURE_DEVICE_IN_HISTORY=false) continues
/// every test's history, and a run on a device that is part of the ids starts a history of its own.
/// </summary>
[Collection(SampleRunCollection.Name)]
public class DeviceHistoryTests(SampleRun run)
{
    private const string Device = "iPad Air (iOS 17.2)";

    [Fact]
    public async Task A_described_device_continues_the_history_and_a_device_in_the_ids_starts_its_own()
    {
        // The shared run has no device: no label, no parameter (what every run wrote before devices existed).
        run.Results.Should().OnlyContain(r => r["labels"]!.AsArray().All(l => (string?)l!["name"] != "device")
                                              && r["parameters"]!.AsArray().All(p => (string?)p!["name"] != "device"));
        var firstReport = Path.GetDirectoryName(run.Report(AllureEngine.Allure2))!;

        var described = await NextRun("described", firstReport, inHistory: false);
        described.PreviousRuns("Passes").Should().Be(1);
        described.PreviousRuns("Connects(host: \"example.com\", port: 443, seed: 1111)").Should().Be(1);

        var keyed = await NextRun("keyed", firstReport, inHistory: true);
        keyed.PreviousRuns("Passes").Should().Be(0, "the same test on a named device is a result of its own, not the next run of the one without a device");
        keyed.PreviousRuns("Connects(host: \"example.com\", port: 443, seed: 1111)").Should().Be(0);

        // What the device run wrote: the device in the environment panel, on every result, and first in the Suites tab.
        File.ReadAllText(Path.Combine(keyed.Results, "environment.properties")).Should().Contain(@"device=iPad Air (iOS 17.2)");
        var passes = Directory.EnumerateFiles(keyed.Results, "*-result.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Single(r => (string?)r["name"] == "Passes");
        string? Label(string name) => passes["labels"]!.AsArray().Where(l => (string?)l!["name"] == name).Select(l => (string?)l!["value"]).SingleOrDefault();
        Label("device").Should().Be(Device);
        Label("parentSuite").Should().Be(Device);
        Label("suite").Should().Be("Mstg.Allure.SampleTests");
        Label("subSuite").Should().Contain(" / ");
    }

    private async Task<(string Results, Func<string, int> PreviousRuns)> NextRun(string name, string previousReport, bool inHistory)
    {
        var results = Path.Combine(run.Root, $"allure-results-{name}");
        var (exitCode, output) = SampleRun.RunSample(run.Root, results, $"trx-{name}", new()
        {
            ["SAMPLE_SEED"] = "1001",
            ["MSTG_ALLURE_KEEP_HISTORY"] = "true",
            ["MSTG_ALLURE_REPORT"] = previousReport,
            ["MSTG_ALLURE_DEVICE"] = Device,
            ["MSTG_ALLURE_DEVICE_IN_HISTORY"] = inHistory ? "true" : "false",
        });
        exitCode.Should().NotBe(0, "the sample fails on purpose");
        File.Exists(Path.Combine(results, "history", "history.json")).Should().BeTrue(output);
        var index = await new AllureReportGenerator(RepoPaths.Root).GenerateAsync(new AllureReportRequest
        {
            ResultsDirectory = results, OutputDirectory = Path.Combine(run.Root, $"report-{name}"),
        }, TestContext.Current.CancellationToken);
        var tests = Directory.EnumerateFiles(Path.Combine(Path.GetDirectoryName(index)!, "data", "test-cases"))
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        return (results, test => tests.Single(t => (string?)t["name"] == test)["extra"]?["history"]?["items"]?.AsArray().Count ?? 0);
    }
}
