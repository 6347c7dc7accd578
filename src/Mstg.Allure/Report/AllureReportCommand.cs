namespace Mstg.Allure.Report;

/// <summary>What <c>mstg report</c> was asked to do; the <c>mstg</c> command line fills it.</summary>
public sealed record AllureReportOptions
{
    public required string Results { get; init; }
    /// <summary>Further runs' results folders (one per device) merged into the same report; empty for one run.</summary>
    public IReadOnlyList<string> MoreResults { get; init; } = [];
    public required string Output { get; init; }
    public AllureEngine Engine { get; init; } = AllureEngine.Allure2;
    public bool SingleFile { get; init; }
    public string? Name { get; init; }
    /// <summary>The folder whose node_modules holds the pinned Allure tools; found from the working folder when null.</summary>
    public string? RepoRoot { get; init; }
}

/// <summary>
/// <c>mstg report</c>: builds the Allure HTML report from allure-results. Returns <see cref="ExitCodes.Ok"/> when the
/// report was written, <see cref="ExitCodes.RuleFailed"/> when the Allure tool is missing or failed,
/// <see cref="ExitCodes.Usage"/> for bad input.
/// </summary>
public static class AllureReportCommand
{
    /// <summary>Engine names the command line accepts (<c>allure2</c>, <c>allure3</c>, or just the digit).</summary>
    public static AllureEngine? ParseEngine(string name) => name.ToLowerInvariant() switch
    {
        "allure2" or "2" => AllureEngine.Allure2,
        "allure3" or "3" => AllureEngine.Allure3,
        _ => null,
    };

    public static async Task<int> RunAsync(AllureReportOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        try
        {
            // The pinned Allure tools live in the repository's node_modules: look from the working folder, then from
            // where mstg itself was built, so the command works from any folder.
            var generator = new AllureReportGenerator(options.RepoRoot ?? FindRepoRoot(Environment.CurrentDirectory)
                ?? FindRepoRoot(AppContext.BaseDirectory) ?? Environment.CurrentDirectory);
            IReadOnlyList<MergedRun> runs = options.MoreResults.Count == 0 ? [] : ResultsMerge.Identify([options.Results, .. options.MoreResults]);
            foreach (var warning in ResultsMerge.WarningsFor(runs)) await stderr.WriteLineAsync($"mstg report: warning: {warning}");
            var request = new AllureReportRequest
            {
                ResultsDirectory = options.Results, MergedResultsDirectories = options.MoreResults, OutputDirectory = options.Output,
                Engine = options.Engine, SingleFile = options.SingleFile,
                ReportName = options.Name ?? DefaultName(options.Results) + (runs.Count > 1 ? $" on {runs.Count} devices" : ""),
            };
            // Allure 3's tree: one branch per device first when every run names its device (Allure 2 does it in the Suites tab).
            if (runs.Count > 1 && runs.All(r => r.Device is not null)) request = request with { GroupBy = ["device", .. request.GroupBy] };
            var index = await generator.GenerateAsync(request, ct);
            if (runs.Count > 1)
            {
                var devices = runs.Select((r, i) => r.Prefix(i)).ToList();
                foreach (var line in DeviceTable.Lines(DeviceTable.Build(DeviceTable.Read(runs), devices), devices)) await stdout.WriteLineAsync(line);
            }
            await stdout.WriteLineAsync(index);
            return ExitCodes.Ok;
        }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (AllureToolException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return ExitCodes.RuleFailed;
        }
    }

    /// <summary>
    /// The report's title when <c>--name</c> is not given: the app the suite tested, from the <c>mstg-run.json</c> the
    /// suite writes into its results (<c>MstgTests: com.example.app 1.2 (42), MSTG L2</c>), else <c>MstgTests</c>.
    /// </summary>
    public static string DefaultName(string resultsDirectory)
    {
        var summary = Path.Combine(resultsDirectory, "mstg-run.json");
        try
        {
            if (File.Exists(summary)
                && System.Text.Json.JsonDocument.Parse(File.ReadAllText(summary)).RootElement.TryGetProperty("title", out var title)
                && title.GetString() is { Length: > 0 } text)
                return $"MstgTests: {text}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // An unreadable summary only costs the title.
        }
        return "MstgTests";
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding package.json and node_modules.</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "node_modules")))
                return dir.FullName;
        return null;
    }
}
