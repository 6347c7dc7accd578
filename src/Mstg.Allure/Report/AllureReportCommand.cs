namespace Mstg.Allure.Report;

/// <summary>
/// Argument-level entry for scripts and the <c>mstg report</c> command:
/// <c>--results DIR --output DIR [--engine allure2|allure3] [--single-file] [--name NAME] [--repo-root DIR]</c>.
/// Returns a process exit code: 0 report written, 1 tool missing/failed, 2 bad arguments or input.
/// </summary>
public static class AllureReportCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        const string usage = "usage: mstg report --results DIR --output DIR [--engine allure2|allure3] [--single-file] [--name NAME] [--repo-root DIR]";
        if (args.Count > 0 && args[0] is "--help" or "-h")
        {
            await stdout.WriteLineAsync(usage);
            return 0;
        }
        string? results = null, output = null, repoRoot = null, name = null;
        var engine = AllureEngine.Allure2;
        var singleFile = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--results": results = Next(); break;
                    case "--output": output = Next(); break;
                    case "--repo-root": repoRoot = Next(); break;
                    case "--name": name = Next(); break;
                    case "--single-file": singleFile = true; break;
                    case "--engine":
                        engine = Next().ToLowerInvariant() switch
                        {
                            "allure2" or "2" => AllureEngine.Allure2,
                            "allure3" or "3" => AllureEngine.Allure3,
                            var other => throw new ArgumentException($"unknown engine '{other}' (allure2 or allure3)"),
                        };
                        break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"mstg report: {e.Message}");
                return 2;
            }
        }
        if (results is null || output is null)
        {
            await stderr.WriteLineAsync(usage);
            return 2;
        }
        try
        {
            // The pinned Allure tools live in the repository's node_modules: look from the working folder, then from
            // where mstg itself was built, so the command works from any folder.
            var generator = new AllureReportGenerator(repoRoot ?? FindRepoRoot(Environment.CurrentDirectory)
                ?? FindRepoRoot(AppContext.BaseDirectory) ?? Environment.CurrentDirectory);
            var index = await generator.GenerateAsync(new AllureReportRequest
            {
                ResultsDirectory = results, OutputDirectory = output, Engine = engine, SingleFile = singleFile,
                ReportName = name ?? DefaultName(results),
            }, ct);
            await stdout.WriteLineAsync(index);
            return 0;
        }
        catch (MstgInputException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
        catch (AllureToolException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
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
