namespace Mstg.Suites.Run;

/// <summary>
/// The one-screen summary of a run (issue 13): one row per requirement MSTG-NETWORK-1..6, one column per kind of check
/// (static, dynamic, server), each cell the worst outcome of that requirement's tests of that kind with its count
/// (<c>fail 1/3</c>, <c>pass 3/3</c>, <c>skip 2/2</c>, <c>broken 4/4</c>) or <c>-</c> when no such test ran. Printed at the
/// end of the run and written to <c>mstg-run.json</c>.
/// </summary>
public static class RunTable
{
    public static IReadOnlyList<string> Requirements { get; } = Enumerable.Range(1, 6).Select(i => $"MSTG-NETWORK-{i}").ToList();
    public static IReadOnlyList<CheckKind> Kinds { get; } = Enum.GetValues<CheckKind>();

    /// <summary>The cell of one requirement and kind, from the outcomes of its tests.</summary>
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

    /// <summary>Requirement → kind name → cell, for every requirement and kind.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Build(IEnumerable<(string? Requirement, CheckKind? Kind, TestOutcome Outcome)> entries)
    {
        var list = entries.ToList();
        return Requirements.ToDictionary(r => r, r => (IReadOnlyDictionary<string, string>)Kinds.ToDictionary(k => k.Name(),
            k => Cell(list.Where(e => e.Requirement == r && e.Kind == k).Select(e => e.Outcome).ToList())));
    }

    /// <summary>The table as fixed-width console lines: a heading, then one line per requirement.</summary>
    public static IEnumerable<string> Lines(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> table)
    {
        const int first = 16, width = 18;
        yield return "MSTG summary table (requirement x kind: pass / fail / skip / broken, count of tests):";
        yield return "  " + "requirement".PadRight(first) + string.Concat(Kinds.Select(k => k.Name().PadRight(width))).TrimEnd();
        foreach (var (requirement, cells) in table)
            yield return "  " + requirement.PadRight(first) + string.Concat(Kinds.Select(k => cells[k.Name()].PadRight(width))).TrimEnd();
    }
}
