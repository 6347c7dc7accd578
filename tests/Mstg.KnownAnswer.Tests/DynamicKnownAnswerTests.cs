using System.Text;
using System.Text.Json;

namespace Mstg.KnownAnswer.Tests;

/// <summary>
/// The known-answer matrix of the dynamic suite: for each reference app of known-answers/dynamic.json, run the suite as
/// a separate process against it and compare every probe × host cell with the expected one. A mismatch names the cell,
/// what was expected and seen, the reason written beside the cell, and the evidence (connections, alerts, ClientHello).
/// The rows are dealt to <see cref="Shards"/> test classes by their place in the file (the two Chromium rows, the
/// longest, first): xUnit runs the rows of one theory one after another but classes side by side, and a suite process
/// spends most of its time waiting (an app or a browser starting, settle periods, a refused page timing out), so four
/// suite processes run at once; a <c>--filter</c> that picks one profile still runs only that one.
/// </summary>
public static class DynamicKnownAnswerMatrix
{
    /// <summary>Suite processes at once (plus the outcome runs beside them; AssemblyInfo allows five test classes at a time).</summary>
    public const int Shards = 4;

    /// <summary>The first-party host the matrix judges (the reference backend's API host).</summary>
    public const string Host = "api.mstg-ref.test";

    private static readonly JsonElement Matrix = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "known-answers", "dynamic.json"))).RootElement;

    private static IReadOnlyList<string> ProfileNames => Matrix.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();

    /// <summary>The profiles of shard <paramref name="index"/>: every <see cref="Shards"/>-th row of the file.</summary>
    public static TheoryData<string> Shard(int index) => new(ProfileNames.Where((_, i) => i % Shards == index));

    public static async Task EveryCellMatchesAsync(string profile)
    {
        var (expected, reasons, _, _) = Expected(profile);
        var run = await DynamicSuiteRun.RunAsync(Settings(profile), TestContext.Current.CancellationToken);
        // The figures docs/dynamic.md quotes: the whole suite process, and per condition the switch and the app's run.
        TestContext.Current.TestOutputHelper?.WriteLine($"known-answer {profile}: suite process {run.Duration.TotalSeconds:0.0} s; per condition (switch + scenario, total): " +
            string.Join(", ", run.Verdicts.GetProperty("conditions").EnumerateArray().Select(c =>
                $"{c.GetProperty("condition").GetString()} {c.GetProperty("switchMs").GetDouble():0}+{c.GetProperty("scenarioMs").GetDouble():0} ms, {c.GetProperty("totalMs").GetDouble():0} ms")));

        var problems = new StringBuilder();
        foreach (var (key, cell) in expected)
        {
            if (!run.Cells.TryGetValue(key, out var seen))
            {
                problems.AppendLine($"[{profile}] {key}: expected '{cell}', the suite reported no such case");
                continue;
            }
            if (seen.Cell != cell)
                problems.AppendLine($"[{profile}] {key}: expected '{cell}', seen '{seen.Cell}'" +
                                    (reasons.TryGetValue(key, out var why) ? $"\n    expected because: {why}" : "") +
                                    $"\n    suite says: {seen.Reason}\n    evidence:\n      {seen.Evidence.Replace("\n", "\n      ")}");
            var xunit = cell.Split(' ')[0] switch { "pass" or "warn" => "Pass", "fail" or "broken" => "Fail", _ => "Skip" };
            if (seen.XunitResult != xunit)
                problems.AppendLine($"[{profile}] {key}: the verdicts file says '{seen.Cell}' but the xUnit result is {seen.XunitResult} (expected {xunit})");
        }
        foreach (var extra in run.Cells.Keys.Except(expected.Keys))
            problems.AppendLine($"[{profile}] {extra}: the suite reported a case the matrix does not list ('{run.Cells[extra].Cell}')");
        problems.ToString().Should().BeEmpty($"every cell must match (suite output:\n{run.Process.StandardOutput}\n{run.Process.StandardError})");
    }

    public static void ListsEveryProbeForEveryProfile()
    {
        var probes = Matrix.GetProperty("profiles").EnumerateArray().First().GetProperty("cells").EnumerateObject().Select(p => p.Name).ToList();
        probes.Should().HaveCount(13, "12 probes on the first-party host plus the run-wide cleartext case");
        foreach (var profile in ProfileNames.Where(p => Expected(p).Target is not null))
            Expected(profile).Cells.Keys.Should().BeEquivalentTo(probes, profile);
        // Without a device, one skipped row per requirement stands for its probes.
        Expected("no-driver").Cells.Keys.Should().BeEquivalentTo(Enumerable.Range(1, 4).Select(n => $"MSTG-NETWORK-{n}@(no device configured)"));
    }

    /// <summary>
    /// The suite's environment for a profile. A reference target: the suite starts the reference backend itself and
    /// routes only to it (host-map-only); the matrix judges the API host (the auth host stays in passthrough). Without
    /// one (no-driver) nothing is started.
    /// </summary>
    private static IReadOnlyDictionary<string, string?> Settings(string profile)
    {
        var (_, _, level, target) = Expected(profile);
        return new Dictionary<string, string?>
        {
            ["MSTG_PROFILE"] = level,
            ["MSTG_FIRST_PARTY_HOSTS"] = Host,
            ["MSTG_DYNAMIC_TARGET"] = target,
        };
    }

    /// <summary>A profile's cells (its base's, overridden by its own), reasons, level and reference target (null: no device).</summary>
    private static (Dictionary<string, string> Cells, Dictionary<string, string> Reasons, string Level, string? Target) Expected(string name)
    {
        var profile = Matrix.GetProperty("profiles").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
        var (cells, reasons, _, target) = profile.TryGetProperty("base", out var b)
            ? Expected(b.GetString()!)
            : ([], [], "", null);
        if (profile.TryGetProperty("target", out var t)) target = t.GetString();
        foreach (var c in profile.GetProperty("cells").EnumerateObject()) cells[c.Name] = c.Value.GetString()!;
        if (profile.TryGetProperty("reasons", out var r))
            foreach (var c in r.EnumerateObject()) reasons[c.Name] = c.Value.GetString()!;
        return (cells, reasons, profile.GetProperty("level").GetString()!, target);
    }
}

public sealed class DynamicKnownAnswerTestsA
{
    public static TheoryData<string> Profiles => DynamicKnownAnswerMatrix.Shard(0);

    [Theory]
    [MemberData(nameof(Profiles))]
    public Task Every_cell_of_the_reference_app_matches(string profile) => DynamicKnownAnswerMatrix.EveryCellMatchesAsync(profile);

    [Fact]
    public void The_matrix_lists_every_probe_for_every_profile() => DynamicKnownAnswerMatrix.ListsEveryProbeForEveryProfile();
}

public sealed class DynamicKnownAnswerTestsB
{
    public static TheoryData<string> Profiles => DynamicKnownAnswerMatrix.Shard(1);

    [Theory]
    [MemberData(nameof(Profiles))]
    public Task Every_cell_of_the_reference_app_matches(string profile) => DynamicKnownAnswerMatrix.EveryCellMatchesAsync(profile);
}

public sealed class DynamicKnownAnswerTestsC
{
    public static TheoryData<string> Profiles => DynamicKnownAnswerMatrix.Shard(2);

    [Theory]
    [MemberData(nameof(Profiles))]
    public Task Every_cell_of_the_reference_app_matches(string profile) => DynamicKnownAnswerMatrix.EveryCellMatchesAsync(profile);
}

public sealed class DynamicKnownAnswerTestsD
{
    public static TheoryData<string> Profiles => DynamicKnownAnswerMatrix.Shard(3);

    [Theory]
    [MemberData(nameof(Profiles))]
    public Task Every_cell_of_the_reference_app_matches(string profile) => DynamicKnownAnswerMatrix.EveryCellMatchesAsync(profile);
}
