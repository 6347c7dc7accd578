using System.Text.Json;
using System.Text.Json.Nodes;
using Mstg.Allure.Devices;
using Mstg.Allure.Writing;

namespace Mstg.Allure.Report;

/// <summary>One run's results folder in a merge, and the device its results name (null when they name none).</summary>
public sealed record MergedRun(string Directory, string? Device)
{
    /// <summary>What the merged environment panel prefixes this run's entries with.</summary>
    public string Prefix(int index) => Device ?? $"run {index + 1} ({Path.GetFileName(Directory.TrimEnd(Path.DirectorySeparatorChar))})";
}

/// <summary>
/// Several runs' allure-results (one per device of a CI matrix) prepared for one report. Both Allure CLIs take several
/// results folders, but read the run-level files of each and merge them blindly: Allure 2.46 lists an environment key
/// once with the values of every folder (which device had which value is lost), repeats executors, and Allure 3 reads
/// categories from its config only. So every folder is copied into a staging folder without its run-level files, and
/// one more folder holds the merged ones: the environment with the entries that differ prefixed by the device, the
/// categories once (by name), each distinct executor once.
/// </summary>
public sealed class ResultsMerge : IDisposable
{
    private static readonly HashSet<string> RunLevelFiles = new(StringComparer.Ordinal)
        { "environment.properties", "environment.xml", "categories.json", "executor.json", "allurerc.json" };

    private ResultsMerge(string root, IReadOnlyList<MergedRun> runs, IReadOnlyList<string> folders, IReadOnlyList<KeyValuePair<string, string>> environment, IReadOnlyList<string> warnings)
    {
        Root = root;
        Runs = runs;
        Folders = folders;
        Environment = environment;
        Warnings = warnings;
    }

    /// <summary>The staging folder (deleted by <see cref="Dispose"/>).</summary>
    public string Root { get; }
    public IReadOnlyList<MergedRun> Runs { get; }
    /// <summary>The folders to hand to the Allure CLI.</summary>
    public IReadOnlyList<string> Folders { get; }
    /// <summary>The merged environment panel, as written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }
    /// <summary>What the user should know: runs that name no device, or the same one (Allure shows their results as retries of one another).</summary>
    public IReadOnlyList<string> Warnings { get; }
    /// <summary>The merged categories.json (null when no run had one).</summary>
    public string? CategoriesFile => File.Exists(Path.Combine(Root, "merged", "categories.json")) ? Path.Combine(Root, "merged", "categories.json") : null;

    /// <summary>Runs that name no device, or the same one: Allure will show their results as retries of one another.</summary>
    public static IReadOnlyList<string> WarningsFor(IReadOnlyList<MergedRun> runs) =>
        runs.GroupBy(r => r.Device).Where(g => g.Count() > 1).Select(group =>
            (group.Key is null ? "these results name no device: " : $"these results name the same device '{group.Key}': ")
            + string.Join(", ", group.Select(r => r.Directory))
            + ". Allure shows the same test of these runs as retries of one result; give each run its own MSTG_DEVICE_LABEL (or MSTG_ALLURE_DEVICE)"
            + " (docs/allure.md, \"Several devices in one report\").").ToList();

    /// <summary>Reads the device of each run's results; no copying.</summary>
    public static IReadOnlyList<MergedRun> Identify(IReadOnlyList<string> directories) =>
        directories.Select(d => new MergedRun(Path.GetFullPath(d), DeviceOf(Path.GetFullPath(d)))).ToList();

    public static ResultsMerge Stage(IReadOnlyList<string> directories)
    {
        var runs = Identify(directories);
        var warnings = WarningsFor(runs);

        var root = Directory.CreateTempSubdirectory("mstg-merge-").FullName;
        try
        {
            var folders = new List<string>();
            var executors = new List<string>();
            JsonArray? categories = null;
            var categoryNames = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                var target = Path.Combine(root, $"run-{i + 1}");
                CopyTree(run.Directory, target, topLevel: true);
                var executor = Path.Combine(run.Directory, "executor.json");
                if (File.Exists(executor) && File.ReadAllText(executor) is var text && !executors.Contains(text))
                {
                    executors.Add(text);
                    File.Copy(executor, Path.Combine(target, "executor.json"));
                }
                var categoriesFile = Path.Combine(run.Directory, "categories.json");
                if (File.Exists(categoriesFile))
                {
                    var parsed = ParseJson(categoriesFile) as JsonArray
                        ?? throw new AllureInputException(categoriesFile, "root", "categories.json is not a JSON array");
                    categories ??= [];
                    foreach (var category in parsed)
                        if (category?["name"]?.GetValue<string>() is { } name && categoryNames.Add(name))
                            categories.Add(category.DeepClone());
                }
                folders.Add(target);
            }
            var merged = Path.Combine(root, "merged");
            Directory.CreateDirectory(merged);
            var environment = MergeEnvironment(runs);
            File.WriteAllText(Path.Combine(merged, "environment.properties"), JavaProperties.Format(environment));
            if (categories is not null)
                File.WriteAllText(Path.Combine(merged, "categories.json"), categories.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            folders.Add(merged);
            return new ResultsMerge(root, runs, folders, environment, warnings);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// One panel for all runs: <c>devices</c> lists them; an entry with the same value in every run is shown once; an
    /// entry that differs (the device itself, the OS, a build) is shown per run as <c>&lt;device&gt; / &lt;key&gt;</c>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> MergeEnvironment(IReadOnlyList<MergedRun> runs)
    {
        var perRun = runs.Select(r => EnvironmentFiles.Read(r.Directory)).ToList();
        var entries = new List<KeyValuePair<string, string>> { new("devices", string.Join(", ", runs.Select((r, i) => r.Prefix(i)))) };
        var keys = perRun.SelectMany(e => e.Select(x => x.Key)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            var values = perRun.Select(e => e.Where(x => x.Key == key).Select(x => x.Value).FirstOrDefault()).ToList();
            if (values.All(v => v is not null && v == values[0])) entries.Add(new(key, values[0]!));
        }
        for (var i = 0; i < runs.Count; i++)
            foreach (var (key, value) in perRun[i])
                if (!entries.Any(e => e.Key == key)) entries.Add(new($"{runs[i].Prefix(i)} / {key}", value));
        return entries;
    }

    /// <summary>The device the run's results name (their <c>device</c> label), or null.</summary>
    public static string? DeviceOf(string directory)
    {
        if (!Directory.Exists(directory)) throw new AllureInputException(directory, "directory", "Allure results folder does not exist");
        foreach (var file in Directory.EnumerateFiles(directory, "*-result.json").Order(StringComparer.Ordinal))
        {
            if (ParseJson(file)?["labels"] is not JsonArray labels) continue;
            foreach (var label in labels)
                if (label?["name"]?.GetValue<string>() == RunDevice.LabelName && label["value"]?.GetValue<string>() is { Length: > 0 } device)
                    return device;
        }
        return null;
    }

    /// <summary>Parses a results file; a broken one is an input error naming the file and line.</summary>
    internal static JsonNode? ParseJson(string file)
    {
        try { return JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException e) { throw new AllureInputException(file, $"line {e.LineNumber + 1}", $"not valid JSON: {e.Message}"); }
    }

    private static void CopyTree(string from, string to, bool topLevel)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            if (!topLevel || !RunLevelFiles.Contains(Path.GetFileName(file)))
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)), topLevel: false);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a temp folder left behind costs nothing */ }
    }
}
