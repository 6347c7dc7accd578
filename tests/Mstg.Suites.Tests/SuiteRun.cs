using System.Xml.Linq;
using Mstg.Fixtures.Processes;

namespace Mstg.Suites.Tests;

/// <summary>One test of a suite run, as the xUnit XML result file reports it.</summary>
public sealed record SuiteTestResult(string Class, string Method, string App, string Result, string Message)
{
    /// <summary>What the test wrote to its output (evidence lines, the attestation it accepted).</summary>
    public string Output { get; init; } = "";

    /// <summary>The test's traits (Requirement, Kind, Level, Family, the Allure labels).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Traits { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Which check of the requirement table the row is: <c>MSTG-NETWORK-1/Ats</c> (requirement and rule family); empty for other tests.</summary>
    public string Check => Traits.TryGetValue("Requirement", out var r) && Traits.TryGetValue("Family", out var f) ? $"{r[0]}/{f[0]}" : "";

    /// <summary>Whether the row is of <paramref name="kind"/> (its <c>Kind</c> trait: static, manual, dynamic, server).</summary>
    public bool IsKind(string kind) => Traits.TryGetValue("Kind", out var k) && k.Contains(kind);
}

/// <summary>
/// Runs the compiled suite assembly as its own process (the xUnit v3 in-process runner of the test exe), with the
/// environment a runsettings profile would give it, and reads the xUnit XML results.
/// </summary>
public sealed class SuiteRun
{
    private SuiteRun(IReadOnlyList<SuiteTestResult> tests, int exitCode, string resultsDirectory, string output, string junit, string trx)
    {
        JUnitFile = junit;
        TrxFile = trx;
        Tests = tests;
        ExitCode = exitCode;
        AllureResults = resultsDirectory;
        Output = output;
    }

    public IReadOnlyList<SuiteTestResult> Tests { get; }
    public int ExitCode { get; }
    public string AllureResults { get; }
    public string Output { get; }

    /// <summary>The same run as JUnit XML and TRX, written by the xUnit v3 runner itself (no logger package needed).</summary>
    public string JUnitFile { get; }
    public string TrxFile { get; }

    /// <summary>The Allure result files of the run, parsed.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> AllureResultFiles =>
        Directory.GetFiles(AllureResults, "*-result.json").Select(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();

    /// <summary>mstg-run.json, written by the suite at the end of the run.</summary>
    public System.Text.Json.JsonElement Summary =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AllureResults, "mstg-run.json"))).RootElement;

    /// <summary>The row of <paramref name="check"/> (<c>MSTG-NETWORK-4/Pinning</c>) for <paramref name="app"/>.</summary>
    public SuiteTestResult Single(string app, string check) =>
        Tests.Single(t => t.App.Contains(app, StringComparison.Ordinal) && t.Check == check);

    /// <summary>
    /// Runs the suite on <paramref name="apps"/>. <paramref name="environment"/> adds variables (for example an attestation);
    /// <paramref name="traits"/> limits the run to tests with those traits (<c>Requirement=MSTG-NETWORK-5</c>), for runs that test one requirement;
    /// <paramref name="filter"/> adds runner arguments (<c>-method Mstg.Suites.Dynamic.DynamicRequirements.Network4_pinning</c>).
    /// </summary>
    public static SuiteRun Start(string? apps, string profile, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? traits = null,
        string? suiteAssembly = null, IReadOnlyList<string>? filter = null)
    {
        suiteAssembly ??= SuiteAssembly;
        var work = Directory.CreateTempSubdirectory("mstg-suite-run-").FullName;
        var xml = Path.Combine(work, "results.xml");
        var allure = Path.Combine(work, "allure-results");
        var junit = Path.Combine(work, "results.junit.xml");
        var trx = Path.Combine(work, "results.trx");
        // Only what the test gives: a runsettings file of the outer run (ci.runsettings) passes MSTG_DEFAULT_* on to us.
        var env = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSTG_", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        if (apps is not null) env["MSTG_APP"] = apps;
        env["MSTG_PROFILE"] = profile;
        env["MSTG_FIRST_PARTY_DOMAINS"] = "insecurebank.example,securebank.example";
        env["MSTG_ALLURE_RESULTS"] = allure;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) env[name] = value;
        List<string> args = [suiteAssembly, "-xml", xml, "-jUnit", junit, "-trx", trx, "-noLogo", "-noColor", "-reporter", "quiet"];
        foreach (var t in traits ?? []) { args.Add("-trait"); args.Add(t); }
        args.AddRange(filter ?? []);
        var run = ExternalProcess.Run("dotnet", args,
            new ProcessOptions { WorkingDirectory = Path.GetDirectoryName(suiteAssembly)!, Timeout = TimeSpan.FromMinutes(5), Environment = env });
        // The suite's exit code is part of what the tests check (InsecureBank fails by design), so it is kept, not asserted.
        var output = run.StandardOutput + run.StandardError;
        if (!File.Exists(xml)) throw new InvalidOperationException($"The suite wrote no results.\n{run}");

        var tests = XDocument.Load(xml).Descendants("test").Select(t => new SuiteTestResult(
            (string?)t.Attribute("type") ?? "",
            (string?)t.Attribute("method") ?? "",
            (string?)t.Attribute("name") ?? "",
            (string?)t.Attribute("result") ?? "",
            (string?)t.Descendants("message").FirstOrDefault() ?? (string?)t.Element("reason") ?? "")
        {
            Output = (string?)t.Element("output") ?? "",
            Traits = t.Descendants("trait").GroupBy(x => (string?)x.Attribute("name") ?? "")
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => (string?)x.Attribute("value") ?? "").ToList()),
        }).ToList();
        return new SuiteRun(tests, run.ExitCode, allure, output, junit, trx);
    }

    /// <summary>The suite assembly built next to this one, in the same configuration.</summary>
    public static string SuiteAssembly
    {
        get
        {
            var here = AppContext.BaseDirectory; // …/tests/Mstg.Suites.Tests/bin/<Configuration>/net10.0/
            var framework = new DirectoryInfo(here).Name;
            var configuration = new DirectoryInfo(here).Parent!.Name;
            var path = Path.Combine(Mstg.Fixtures.RepositoryLayout.Root, "suites", "Mstg.Suites", "bin", configuration, framework, "Mstg.Suites.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build suites/Mstg.Suites first.", path);
        }
    }
}
