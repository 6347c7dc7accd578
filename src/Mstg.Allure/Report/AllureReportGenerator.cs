using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mstg.Allure.Report;

/// <summary>Which Allure generation to run. Both read the same allure-results folder.</summary>
public enum AllureEngine
{
    /// <summary>allure-commandline 2.x (Java): the classic report with Behaviors/Suites/Graphs and history trends.</summary>
    Allure2,
    /// <summary>allure 3.x (node): the newer "awesome" report.</summary>
    Allure3,
}

public sealed record AllureReportRequest
{
    public required string ResultsDirectory { get; init; }
    /// <summary>
    /// Further runs' results (one per device of a CI matrix) merged into the same report (<see cref="ResultsMerge"/>):
    /// the environment panels merged with a per-device prefix, categories and executors once.
    /// </summary>
    public IReadOnlyList<string> MergedResultsDirectories { get; init; } = [];
    public required string OutputDirectory { get; init; }
    public AllureEngine Engine { get; init; } = AllureEngine.Allure2;
    /// <summary>One self-contained index.html that opens from file:// (multi-file reports need an http server).</summary>
    public bool SingleFile { get; init; }
    public string ReportName { get; init; } = "MstgTests";
    /// <summary>Labels the Allure 3 tree is grouped by.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = ["epic", "feature", "story"];
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Runs the Allure CLI pinned in the repository's package.json (node_modules at the repo root, installed by
/// <c>npm ci</c>) — never a globally installed one, so every machine renders with the same version.
/// </summary>
public sealed class AllureReportGenerator(string repoRoot)
{
    public string RepoRoot { get; } = Path.GetFullPath(repoRoot);

    public string Allure2Cli => Path.Combine(RepoRoot, "node_modules", "allure-commandline", "dist", "bin", "allure");
    public string Allure3Cli => Path.Combine(RepoRoot, "node_modules", "allure", "cli.js");

    /// <summary>Generates the report and returns the full path of its index.html.</summary>
    public async Task<string> GenerateAsync(AllureReportRequest request, CancellationToken cancellationToken = default)
    {
        var all = new[] { request.ResultsDirectory }.Concat(request.MergedResultsDirectories)
            .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).ToList();
        var output = Path.GetFullPath(request.OutputDirectory);
        foreach (var results in all)
        {
            if (!Directory.Exists(results))
                throw new AllureInputException(results, "directory", "Allure results folder does not exist");
            if (!Directory.EnumerateFiles(results, "*-result.json").Any())
                throw new AllureInputException(results, "directory", "Allure results folder holds no *-result.json file");
        }
        if (all.Distinct(StringComparer.Ordinal).Count() != all.Count)
            throw new AllureInputException(all.GroupBy(d => d).First(g => g.Count() > 1).Key, "--results", "the same results folder is given twice");
        if (all.Count == 1) return await Generate(request, all, Path.Combine(all[0], "categories.json"), output, cancellationToken);

        using var merge = ResultsMerge.Stage(all);
        return await Generate(request, merge.Folders, merge.CategoriesFile, output, cancellationToken);
    }

    private Task<string> Generate(AllureReportRequest request, IReadOnlyList<string> folders, string? categories, string output, CancellationToken ct) =>
        request.Engine switch
        {
            AllureEngine.Allure2 => RunAllure2(request, folders, output, ct),
            _ => RunAllure3(request, folders, categories, output, ct),
        };

    private async Task<string> RunAllure2(AllureReportRequest request, IReadOnlyList<string> folders, string output, CancellationToken ct)
    {
        RequireFile(Allure2Cli, "allure-commandline");
        await RequireTool("java", ["-version"], "Allure 2 needs Java 11 or newer on PATH (e.g. apt-get install openjdk-17-jre-headless)", ct);
        // Never pass --help to "generate": Allure 2 then generates ./allure-report in the working directory.
        var args = new List<string> { "generate" };
        args.AddRange(folders);
        args.AddRange(["-o", output, "--clean", "--name", request.ReportName]);
        if (request.SingleFile) args.Add("--single-file");
        await Run(Allure2Cli, args, request.Timeout, ct);
        return RequireIndex(output);
    }

    private async Task<string> RunAllure3(AllureReportRequest request, IReadOnlyList<string> folders, string? categories, string output, CancellationToken ct)
    {
        RequireFile(Allure3Cli, "allure");
        await RequireTool("node", ["--version"], "Allure 3 needs Node.js 20 or newer on PATH", ct);
        // Allure 3 reads categories only from its config (not categories.json), and resolves a relative "output"
        // against the working directory: write a config with absolute paths and the categories from the results.
        var config = new JsonObject
        {
            ["name"] = request.ReportName,
            ["output"] = output,
            ["plugins"] = new JsonObject
            {
                ["awesome"] = new JsonObject
                {
                    ["options"] = new JsonObject
                    {
                        ["singleFile"] = request.SingleFile,
                        ["reportName"] = request.ReportName,
                        ["groupBy"] = new JsonArray(request.GroupBy.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
                    },
                },
            },
        };
        if (categories is not null && File.Exists(categories)) config["categories"] = JsonNode.Parse(await File.ReadAllTextAsync(categories, ct));
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var configPath = Path.Combine(Path.GetTempPath(), $"allurerc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        try
        {
            await Run("node", [Allure3Cli, "generate", "-c", configPath, .. folders], request.Timeout, ct);
        }
        finally
        {
            File.Delete(configPath);
        }
        return RequireIndex(output);
    }

    private void RequireFile(string path, string package)
    {
        if (!File.Exists(path))
            throw new AllureToolException(
                $"The pinned npm package '{package}' is not installed: {path} is missing. Run `npm ci` in {RepoRoot}, or pass --repo-root with the MstgTests checkout that has node_modules.");
    }

    private static async Task RequireTool(string tool, string[] args, string hint, CancellationToken ct)
    {
        try
        {
            await Run(tool, args, TimeSpan.FromSeconds(30), ct);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or AllureToolException)
        {
            throw new AllureToolException($"'{tool}' is not available: {hint}.", e);
        }
    }

    private static string RequireIndex(string output)
    {
        var index = Path.Combine(output, "index.html");
        if (!File.Exists(index)) throw new AllureToolException($"Allure finished but wrote no {index}.");
        return index;
    }

    private static async Task Run(string fileName, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new AllureToolException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AllureToolException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}.");
        }
        var output = ((await stderr).Trim() + "\n" + (await stdout).Trim()).Trim();
        if (process.ExitCode != 0)
            throw new AllureToolException($"{fileName} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {output}");
        // Allure 3 exits 0 even when a plugin failed (for example on a category regex JavaScript cannot compile)
        // and then writes no report at all: surface its own words instead of a bare "no index.html".
        var pluginError = output.Split('\n').FirstOrDefault(l => l.StartsWith("plugin ", StringComparison.Ordinal) && l.Contains(" error", StringComparison.Ordinal));
        if (pluginError is not null)
            throw new AllureToolException($"{fileName} {string.Join(' ', info.ArgumentList)} reported: {pluginError}");
    }
}

/// <summary>The Allure tool is missing or failed (not a problem of the results).</summary>
public sealed class AllureToolException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The results folder given to the generator is missing or empty.</summary>
public sealed class AllureInputException(string source, string place, string problem) : MstgInputException(source, place, problem);
