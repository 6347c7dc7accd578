namespace Mstg.Suites.Run;

/// <summary>A column of the summary table: a static app (by its key), a dynamic target, or the server rows.</summary>
public sealed record RunTableColumn(string Name, CheckKind Kind);

/// <summary>The summary table: its columns in order, and requirement → column name → cell.</summary>
public sealed record RunSummaryTable(IReadOnlyList<RunTableColumn> Columns, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Rows);

/// <summary>
/// The one-screen summary of a run (issue 13): one row per requirement MSTG-NETWORK-1..6, one column per target: each
/// static app (its key: <c>InsecureBank</c>, a bundle id), each dynamic target (<c>client-pinned</c>, or <c>dynamic</c> for a
/// driver of your own), and <c>server</c> (the server rows). Each cell is the worst outcome of that requirement's tests of
/// that target with its count (<c>fail 1/3</c>, <c>pass 3/3</c>, <c>skip 2/2</c>, <c>broken 4/4</c>) or <c>-</c> when no such
/// test ran. Printed at the end of the run (in blocks of columns that fit the screen) and written to <c>mstg-run.json</c>.
/// </summary>
public static class RunTable
{
    /// <summary>The trait naming a row's target, the table column it counts under (<c>--filter Target=SecureBank</c>).</summary>
    public const string TargetTrait = "Target";

    /// <summary>The column of the server rows.</summary>
    public const string ServerColumn = "server";

    /// <summary>The widest line the console table takes; more columns go to a further block.</summary>
    public const int ScreenWidth = 120;

    public static IReadOnlyList<string> Requirements { get; } = Enumerable.Range(1, 6).Select(i => $"MSTG-NETWORK-{i}").ToList();

    /// <summary>The cell of one requirement and target, from the outcomes of its tests.</summary>
    public static string Cell(IReadOnlyCollection<TestOutcome> outcomes)
    {
        var n = outcomes.Count;
        if (n == 0) return "-";
        int Count(params TestOutcome[] of) => outcomes.Count(of.Contains);
        // Worst first: a test that could not run hides nothing behind a pass; a failure is the answer even if others passed.
        var broken = Count(TestOutcome.EnvironmentError);
        if (broken > 0) return $"broken {broken}/{n}";
        var failed = Count(TestOutcome.Failed);
        if (failed > 0) return $"fail {failed}/{n}";
        var passed = Count(TestOutcome.Passed, TestOutcome.PassedWithWarnings);
        var warned = Count(TestOutcome.PassedWithWarnings);
        if (passed > 0) return $"pass {passed}/{n}{(warned > 0 ? $" ({warned} warn)" : "")}";
        return $"skip {n}/{n}";
    }

    /// <summary>
    /// The table for <paramref name="configured"/> columns (the run's apps, targets and the server, in that order), plus any
    /// column a test recorded that is not among them. A test without a column counts under its kind's name.
    /// </summary>
    public static RunSummaryTable Build(IEnumerable<(string? Requirement, CheckKind? Kind, string? Column, TestOutcome Outcome)> entries, IEnumerable<RunTableColumn> configured)
    {
        var list = entries.Where(e => e.Kind is not null).Select(e => (e.Requirement, Kind: e.Kind!.Value, Column: ColumnOf(e.Kind.Value, e.Column), e.Outcome)).ToList();
        var columns = configured.Concat(list.Select(e => new RunTableColumn(e.Column, e.Kind)))
            .DistinctBy(c => c.Name, StringComparer.Ordinal)
            .OrderBy(c => c.Kind).ToList(); // stable: configured order within static, dynamic, server
        var rows = Requirements.ToDictionary(r => r, r => (IReadOnlyDictionary<string, string>)columns.ToDictionary(c => c.Name,
            c => Cell(list.Where(e => e.Requirement == r && e.Column == c.Name).Select(e => e.Outcome).ToList())));
        return new RunSummaryTable(columns, rows);
    }

    /// <summary>The column a test of <paramref name="kind"/> counts under: its target, or for server rows (and tests without one) the kind's name.</summary>
    public static string ColumnOf(CheckKind kind, string? target) =>
        kind == CheckKind.Server ? ServerColumn : target is { Length: > 0 } ? target : kind.Name();

    /// <summary>
    /// The table as fixed-width console lines: a heading, then per block of columns (as many as fit in <see cref="ScreenWidth"/>)
    /// the column names, their kinds, and one line per requirement.
    /// </summary>
    public static IEnumerable<string> Lines(RunSummaryTable table)
    {
        const int first = 16;
        yield return "MSTG summary table (requirement x target: pass / fail / skip / broken, count of tests):";
        var widths = table.Columns.Select(c => Math.Max(c.Name.Length, table.Rows.Values.Max(r => r[c.Name].Length)) + 2).ToList();
        var blocks = new List<List<int>> { new() };
        var used = 2 + first;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (blocks[^1].Count > 0 && used + widths[i] > ScreenWidth)
            {
                blocks.Add([]);
                used = 2 + first;
            }
            blocks[^1].Add(i);
            used += widths[i];
        }
        foreach (var block in blocks)
        {
            string Line(string first_, Func<int, string> cell) =>
                ("  " + first_.PadRight(first) + string.Concat(block.Select(i => cell(i).PadRight(widths[i])))).TrimEnd();
            yield return Line("requirement", i => table.Columns[i].Name);
            yield return Line("", i => table.Columns[i].Kind.Name());
            foreach (var (requirement, cells) in table.Rows)
                yield return Line(requirement, i => cells[table.Columns[i].Name]);
        }
    }
}
