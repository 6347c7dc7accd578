using System.Text.Json.Nodes;

namespace Mstg.Allure.Report;

/// <summary>
/// The merged report's one-screen summary: one row per requirement (the <c>Requirement</c> label the suites give each
/// requirement test), one column per device, each cell the worst outcome of that requirement's tests on that device
/// with its count, worded like the suite's own table (suites/Mstg.Suites/Run/RunTable.cs): <c>broken 1/4</c>,
/// <c>fail 2/4</c>, <c>pass 4/4 (1 warn)</c>, <c>skip 3/3</c>, or <c>-</c> when no such test ran. It is read from the
/// results themselves, so it works for any run, old or new, and for results the suite did not write.
/// </summary>
public static class DeviceTable
{
    public const string RequirementLabel = "Requirement";
    private const string WarningTag = "has-warnings";

    /// <summary>One requirement test's result: its requirement, device, Allure status and whether it passed with warnings.</summary>
    public sealed record Entry(string Requirement, string Device, string Status, bool Warned);

    public static IReadOnlyList<Entry> Read(IReadOnlyList<MergedRun> runs) =>
        runs.SelectMany((run, index) => Directory.EnumerateFiles(run.Directory, "*-result.json").Select(file =>
        {
            var result = ResultsMerge.ParseJson(file);
            var labels = (result?["labels"] as JsonArray ?? []).Select(l => (Name: l?["name"]?.GetValue<string>(), Value: l?["value"]?.GetValue<string>())).ToList();
            var requirement = labels.FirstOrDefault(l => l.Name == RequirementLabel).Value;
            if (requirement is null) return null;
            return new Entry(requirement, run.Prefix(index), result?["status"]?.GetValue<string>() ?? "unknown",
                labels.Any(l => l.Name == "tag" && l.Value == WarningTag));
        })).OfType<Entry>().ToList();

    /// <summary>The cell of one requirement on one device.</summary>
    public static string Cell(IReadOnlyCollection<Entry> entries)
    {
        var n = entries.Count;
        if (n == 0) return "-";
        int Count(string status) => entries.Count(e => e.Status == status);
        // Worst first, as the suite's table: a test that could not run hides nothing behind a pass.
        if (Count("broken") + Count("unknown") is var broken and > 0) return $"broken {broken}/{n}";
        if (Count("failed") is var failed and > 0) return $"fail {failed}/{n}";
        var warned = entries.Count(e => e.Status == "passed" && e.Warned);
        if (Count("passed") is var passed and > 0) return $"pass {passed}/{n}{(warned > 0 ? $" ({warned} warn)" : "")}";
        return $"skip {n}/{n}";
    }

    /// <summary>Requirement → device → cell.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Build(IReadOnlyList<Entry> entries, IReadOnlyList<string> devices) =>
        entries.Select(e => e.Requirement).Distinct().OrderBy(r => r.Length).ThenBy(r => r, StringComparer.Ordinal)
            .ToDictionary(r => r, r => (IReadOnlyDictionary<string, string>)devices.Distinct().ToDictionary(d => d,
                d => Cell(entries.Where(e => e.Requirement == r && e.Device == d).ToList())));

    public static IEnumerable<string> Lines(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> table, IReadOnlyList<string> devices)
    {
        var columns = devices.Distinct().ToList();
        var first = Math.Max("requirement".Length, table.Keys.DefaultIfEmpty("").Max(k => k.Length)) + 2;
        var widths = columns.Select(d => Math.Max(d.Length, table.Values.Select(c => c[d].Length).DefaultIfEmpty(0).Max()) + 2).ToList();
        yield return "MSTG summary table (requirement x device: pass / fail / skip / broken, count of tests):";
        yield return ("  " + "requirement".PadRight(first) + string.Concat(columns.Select((d, i) => d.PadRight(widths[i])))).TrimEnd();
        foreach (var (requirement, cells) in table)
            yield return ("  " + requirement.PadRight(first) + string.Concat(columns.Select((d, i) => cells[d].PadRight(widths[i])))).TrimEnd();
        if (table.Count == 0) yield return "  (no result carries a Requirement label)";
    }
}
