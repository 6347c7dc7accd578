using System.Text.Json.Nodes;
using Mstg.Fixtures.Processes;

namespace Mstg.Allure.Tests.EndToEnd;

/// <summary>
/// Runs tests/Mstg.Allure.SampleTests once with the real `dotnet test` (VSTest + xunit.runner.visualstudio) into a
/// temporary results folder, and keeps the parsed results for the tests of the collection.
/// </summary>
public sealed class SampleRun : IDisposable
{
    public SampleRun()
    {
        Root = Path.Combine(Path.GetTempPath(), "mstg-allure-e2e-" + Guid.NewGuid().ToString("N"));
        ResultsDirectory = Path.Combine(Root, "allure-results");
        (ExitCode, Output) = RunSample(Root, ResultsDirectory, "trx", new() { ["SAMPLE_SEED"] = "1001" });
        Results = Directory.EnumerateFiles(ResultsDirectory, "*-result.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
        Containers = Directory.EnumerateFiles(ResultsDirectory, "*-container.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
    }

    private readonly Dictionary<(Report.AllureEngine, bool), string> _reports = [];

    /// <summary>Generates (once per engine and mode) a report with the repository-pinned Allure CLI; returns index.html.</summary>
    public string Report(Report.AllureEngine engine, bool singleFile = false)
    {
        lock (_reports)
        {
            if (_reports.TryGetValue((engine, singleFile), out var index)) return index;
            RepoPaths.RequireNodeModules();
            var output = Path.Combine(Root, $"report-{engine}-{(singleFile ? "single" : "multi")}");
            index = new Report.AllureReportGenerator(RepoPaths.Root).GenerateAsync(new Report.AllureReportRequest
            {
                ResultsDirectory = ResultsDirectory, OutputDirectory = output, Engine = engine, SingleFile = singleFile,
                ReportName = "Mstg.Allure sample",
            }).GetAwaiter().GetResult();
            _reports[(engine, singleFile)] = index;
            return index;
        }
    }

    /// <summary>Runs the sample assembly with `dotnet test` (VSTest) into <paramref name="results"/>.</summary>
    public static (int ExitCode, string Output) RunSample(string root, string results, string trxFolder, Dictionary<string, string> environment)
    {
        var project = Path.Combine(RepoPaths.Root, "tests", "Mstg.Allure.SampleTests", "Mstg.Allure.SampleTests.csproj");
        // The child must not inherit this test host's MSBuild/VSTest plumbing.
        var variables = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                        || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH")
            .ToDictionary(k => k, string? (_) => null);
        variables["MSTG_ALLURE_RESULTS"] = results;
        variables["MSTG_ALLURE_ENV_suite"] = "sample: a=b";
        foreach (var (key, value) in environment) variables[key] = value;
        // The sample tests fail on purpose, so the exit code is returned for the caller to check, not asserted here.
        var run = ExternalProcess.Run("dotnet", ["test", project, "-p:AllureSample=true", "--logger", "trx;LogFileName=sample.trx",
                "--results-directory", Path.Combine(root, trxFolder), "-nodeReuse:false"],
            new ProcessOptions { WorkingDirectory = RepoPaths.Root, Timeout = TimeSpan.FromMinutes(10), Environment = variables });
        return (run.ExitCode, run.StandardOutput + run.StandardError);
    }

    public string Root { get; }
    public string ResultsDirectory { get; }
    public string Output { get; }
    public int ExitCode { get; }
    public List<JsonObject> Results { get; }
    public List<JsonObject> Containers { get; }

    public JsonObject Result(string name) =>
        Results.SingleOrDefault(r => (string?)r["name"] == name)
        ?? throw new InvalidOperationException($"No result named {name}. Names: {string.Join(", ", Results.Select(r => (string?)r["name"]))}\n{Output}");

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SampleRunCollection : ICollectionFixture<SampleRun>
{
    public const string Name = "sample run";
}
