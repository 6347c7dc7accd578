namespace Mstg.Suites.Run;

/// <summary>
/// The test filter of this run, for the start-of-run line. The suite executable gets it on its own command line
/// (<c>-trait</c>, <c>-class</c>, <c>-filter</c> …); under <c>dotnet test --filter</c> the filter stays in the runner, so it
/// is read from the command lines of the calling processes (Linux /proc; elsewhere it is reported as not visible).
/// </summary>
public static class RunFilter
{
    private static readonly string[] Selectors = ["-filter", "-class", "-method", "-namespace", "-trait", "-class-", "-method-", "-namespace-", "-trait-"];

    public static string? Find()
    {
        // Run as the suite executable by a person or script: its own command line is the whole story. The VSTest
        // adapter starts it with "@@ <file>" (automated mode) instead, and keeps the filter to itself.
        var own = Environment.GetCommandLineArgs();
        if (!own.Contains("@@")) return FromSuiteArguments(own);
        if (!OperatingSystem.IsLinux()) return "(set by the runner, not visible here)";
        // Under VSTest: suite ← testhost ← vstest.console (--testCaseFilter:) ← dotnet test (--filter). Stop at this run's
        // dotnet test, so a dotnet test that itself runs inside another test run does not report the outer filter.
        var pid = Environment.ProcessId;
        for (var depth = 0; depth < 6 && pid > 1; depth++)
        {
            pid = ParentOf(pid);
            if (pid <= 1) break;
            var args = CommandLineOf(pid);
            if (FromDotnetTestArguments(args) is { } filter) return filter;
            if ((args.Length > 1 && args[1] == "test") || args.Any(a => a.EndsWith("vstest.console.dll", StringComparison.Ordinal))) break;
        }
        return null;
    }

    /// <summary>The selection options of the xUnit v3 executable's own command line.</summary>
    public static string? FromSuiteArguments(IReadOnlyList<string> args)
    {
        var parts = new List<string>();
        for (var i = 0; i < args.Count - 1; i++)
            if (Selectors.Contains(args[i], StringComparer.OrdinalIgnoreCase)) parts.Add($"{args[i]} {args[i + 1]}");
        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    /// <summary><c>--filter X</c> of dotnet test, or <c>/TestCaseFilter:X</c> as it reaches vstest.console.</summary>
    public static string? FromDotnetTestArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--filter" && i + 1 < args.Count) return args[i + 1];
            foreach (var prefix in new[] { "--filter:", "--filter=", "/TestCaseFilter:", "--TestCaseFilter:", "-TestCaseFilter:" })
                if (a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return a[prefix.Length..].Trim('"');
        }
        return null;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out var parent) ? parent : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    private static string[] CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
