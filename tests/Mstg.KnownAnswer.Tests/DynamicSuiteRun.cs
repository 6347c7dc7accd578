using System.Text.Json;
using System.Xml.Linq;
using Mstg.Fixtures;
using Mstg.Fixtures.Processes;

namespace Mstg.KnownAnswer.Tests;

/// <summary>One dynamic case as the suite run reported it: the verdicts file's entry and the xUnit result of the same test.</summary>
public sealed record ObservedCell(string Key, string Cell, string XunitResult, string Reason, string Evidence);

/// <summary>
/// Runs the compiled suite assembly as its own process (the xUnit v3 runner of the test executable) with only the
/// dynamic cases (<c>-trait Kind=dynamic</c>) and the environment a runsettings profile would give it, then reads the
/// verdicts file the suite wrote and the xUnit XML results.
/// </summary>
public sealed class DynamicSuiteRun
{
    public required IReadOnlyDictionary<string, ObservedCell> Cells { get; init; }
    public required ProcessResult Process { get; init; }
    public required JsonElement Verdicts { get; init; }
    public required TimeSpan Duration { get; init; }
    /// <summary>Where the run's files are: results.xml, dynamic-verdicts.json, allure-results/.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>mstg-run.json, written by the suite at the end of the run.</summary>
    public JsonElement Summary => JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkDirectory, "allure-results", "mstg-run.json"))).RootElement;

    public static async Task<DynamicSuiteRun> RunAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("mstg-dynamic-run-").FullName;
        var xml = Path.Combine(work, "results.xml");
        var verdicts = Path.Combine(work, "dynamic-verdicts.json");
        // Only what this run gives: variables of an outer run (ci.runsettings' MSTG_DEFAULT_*) are removed.
        var env = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("MSTG_", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        env["OPENSSL_CONF"] = null; // the app must see Debian's default OpenSSL policy
        env["MSTG_ALLOW_NO_APP"] = "1"; // a dynamic-only run: no .ipa to scan
        env["MSTG_ALLURE_RESULTS"] = Path.Combine(work, "allure-results");
        env["MSTG_DYNAMIC_VERDICTS"] = verdicts;
        foreach (var (k, v) in settings) env[k] = v;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await ExternalProcess.RunAsync("dotnet", [SuiteAssembly, "-xml", xml, "-trait", "Kind=dynamic", "-noLogo", "-noColor", "-reporter", "quiet"],
            new ProcessOptions { WorkingDirectory = Path.GetDirectoryName(SuiteAssembly)!, Timeout = TimeSpan.FromMinutes(5), Environment = env }, ct);
        var duration = clock.Elapsed;
        if (!File.Exists(xml) || !File.Exists(verdicts))
            throw new InvalidOperationException($"The suite wrote no results or no verdicts file.\n{run}");

        // xUnit escapes the quotes of string arguments in display names (\"); compare without the escapes.
        var xunit = XDocument.Load(xml).Descendants("test").Select(t => (((string?)t.Attribute("name") ?? "").Replace("\\", "", StringComparison.Ordinal), (string?)t.Attribute("result") ?? "")).ToList();
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(verdicts, ct)).RootElement.Clone();
        var cells = new Dictionary<string, ObservedCell>(StringComparer.Ordinal);
        foreach (var c in document.GetProperty("cases").EnumerateArray())
        {
            string S(string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var key = $"{S("probe")}@{S("host")}";
            var connection = string.Join("/", new[] { S("connection"), S("how"), S("alert") }.Where(p => p.Length > 0));
            var outcome = S("outcome") switch { "notapplicable" or "skipped" => "skip", var o => o };
            // The xUnit row of the same case: its display name carries the probe id and the host as theory arguments.
            var result = xunit.Where(x => x.Item1.Contains($"\"{S("probe")}\"", StringComparison.Ordinal) && x.Item1.Contains($"\"{S("host")}\"", StringComparison.Ordinal))
                .Select(x => x.Item2).FirstOrDefault() ?? "(no xUnit result)";
            cells[key] = new ObservedCell(key, $"{outcome} {connection}", result, S("reason"), S("evidence"));
        }
        return new DynamicSuiteRun { Cells = cells, Process = run, Verdicts = document, Duration = duration, WorkDirectory = work };
    }

    /// <summary>The suite assembly built next to this one, in the same configuration.</summary>
    private static string SuiteAssembly
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // …/tests/Mstg.KnownAnswer.Tests/bin/<Configuration>/net10.0/
            var path = Path.Combine(RepositoryLayout.Root, "suites", "Mstg.Suites", "bin", here.Parent!.Name, here.Name, "Mstg.Suites.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build suites/Mstg.Suites first.", path);
        }
    }
}
