using System.Text.RegularExpressions;

namespace Mstg.Fixtures.Tests;

/// <summary>One place in the repository that runs an external process in a way that can hide its exit status.</summary>
public sealed record GuardViolation(string File, int Line, string Rule, string Text)
{
    public override string ToString() => $"{File}:{Line}: {Rule}\n    {Text.Trim()}";
}

/// <summary>
/// Finds the ways an external tool's failure has hidden before (issue 7): C# that starts a process itself instead of
/// going through <c>Mstg.Fixtures.Processes.ExternalProcess</c>, a shell run without <c>pipefail</c>, and bash
/// scripts whose pipelines or command substitutions lose a status. Line based and deliberately narrow: each rule
/// matches one known pattern, so a hit is a real finding, never noise.
/// </summary>
public static partial class ProcessGuard
{
    /// <summary>The only folder allowed to start processes directly: the runner itself.</summary>
    public const string RunnerFolder = "fixtures/Mstg.Fixtures/Processes/";

    public static readonly string[] ScannedFolders = ["tests", "fixtures", "suites", "bench", ".ci"];

    public static IEnumerable<GuardViolation> ScanRepository(string root)
    {
        var files = ScannedFolders.Select(f => Path.Combine(root, f)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "build.sh"))
            .Where(f => !IsNotScanned(Path.GetRelativePath(root, f)));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.EndsWith(".cs", StringComparison.Ordinal))
                foreach (var v in ScanCSharp(relative, File.ReadAllLines(file))) yield return v;
            else if (IsBashScript(file))
                foreach (var v in ScanBash(relative, File.ReadAllLines(file))) yield return v;
        }
    }

    public static IEnumerable<GuardViolation> ScanCSharp(string file, IReadOnlyList<string> lines)
    {
        if (file.StartsWith(RunnerFolder, StringComparison.Ordinal)) yield break;
        for (var i = 0; i < lines.Count; i++)
        {
            var code = StripCSharpComment(lines[i]);
            if (DirectProcess().IsMatch(code))
                yield return new(file, i + 1, "starts a process itself: use ExternalProcess.Run/RunAsync/Shell/Start (exit code, stderr, timeout in one place)", lines[i]);
            if (ShellThroughRun().IsMatch(code))
                yield return new(file, i + 1, "runs a shell through Run: use ExternalProcess.Shell, which adds set -euo pipefail", lines[i]);
        }
    }

    public static IEnumerable<GuardViolation> ScanBash(string file, IReadOnlyList<string> lines)
    {
        var strict = lines.Take(20).Any(l => StrictMode().IsMatch(l));
        if (!strict)
            yield return new(file, 1, "bash script without `set -euo pipefail` near the top: a failing command or pipeline stage would go unnoticed", lines.FirstOrDefault() ?? "");
        for (var i = 0; i < lines.Count; i++)
        {
            var code = StripBashComment(lines[i]);
            if (PipefailOff().IsMatch(code))
                yield return new(file, i + 1, "turns pipefail off: a failure in the pipeline would be hidden", lines[i]);
            if (HiddenSubstitution(code))
                yield return new(file, i + 1, "pipeline inside $(…) used as part of another command: its status is lost even under pipefail; assign it to a variable first (x=$(…))", lines[i]);
            if (NestedShell().IsMatch(code) && code.Contains('|') && !code.Contains("pipefail", StringComparison.Ordinal))
                yield return new(file, i + 1, "pipeline run by a nested shell without pipefail", lines[i]);
        }
    }

    /// <summary>True when a <c>$(…)</c> holding a pipe is not the whole value of a plain assignment
    /// (<c>x=$(a | b)</c> keeps the status and <c>set -e</c> stops on it; <c>echo "$(a | b)"</c> and <c>local x=$(a | b)</c> do not).</summary>
    internal static bool HiddenSubstitution(string code)
    {
        foreach (var (start, end, body) in Substitutions(code))
        {
            if (!Pipe().IsMatch(SingleQuoted().Replace(body, "''"))) continue;
            var assignment = PlainAssignment().Match(code);
            var rest = code[(end + 1)..].Trim();
            if (assignment.Success && assignment.Index + assignment.Length == start + 2 && (rest.Length == 0 || rest.StartsWith(';'))) continue;
            return true;
        }
        return false;
    }

    private static IEnumerable<(int Start, int End, string Body)> Substitutions(string code)
    {
        for (var start = code.IndexOf("$(", StringComparison.Ordinal); start >= 0; start = code.IndexOf("$(", start + 2, StringComparison.Ordinal))
        {
            var depth = 0;
            for (var j = start + 1; j < code.Length; j++)
            {
                if (code[j] == '(') depth++;
                else if (code[j] == ')' && --depth == 0) { yield return (start, j, code[(start + 2)..j]); break; }
            }
        }
    }

    /// <summary>Build output and data: tests/corpus holds third-party inputs that are read, never run.</summary>
    private static bool IsNotScanned(string relative)
    {
        var path = relative.Replace('\\', '/');
        return path.StartsWith("tests/corpus/", StringComparison.Ordinal)
               || path.Split('/').Any(p => p is "bin" or "obj" or "node_modules" or "out" or ".git");
    }

    private static bool IsBashScript(string file)
    {
        if (file.EndsWith(".sh", StringComparison.Ordinal)) return true;
        using var reader = new StreamReader(file);
        var first = reader.ReadLine() ?? "";
        return first.StartsWith("#!", StringComparison.Ordinal) && first.Contains("bash", StringComparison.Ordinal);
    }

    private static string StripCSharpComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("*", StringComparison.Ordinal) ? "" : line;
    }

    private static string StripBashComment(string line) => line.TrimStart().StartsWith('#') ? "" : line;

    [GeneratedRegex(@"\bProcess\.Start\s*\(|\bnew\s+(System\.Diagnostics\.)?ProcessStartInfo\b|\bnew\s+(System\.Diagnostics\.)?Process\s*(\(|\{)")]
    private static partial Regex DirectProcess();

    [GeneratedRegex(@"\bRun(Async)?\s*\(\s*""(/bin/|/usr/bin/)?(ba)?sh""")]
    private static partial Regex ShellThroughRun();

    [GeneratedRegex(@"^\s*set\s+-(?=[a-zA-Z]*e)(?=[a-zA-Z]*u)(?=[a-zA-Z]*o)[a-zA-Z]+\s+pipefail\b")]
    private static partial Regex StrictMode();

    [GeneratedRegex(@"\bset\s+\+o\s+pipefail\b")]
    private static partial Regex PipefailOff();

    [GeneratedRegex(@"(?<![|])[|](?![|])")]
    private static partial Regex Pipe();

    [GeneratedRegex(@"^\s*[A-Za-z_][A-Za-z0-9_]*=\$\(")]
    private static partial Regex PlainAssignment();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex SingleQuoted();

    [GeneratedRegex(@"\b(ba)?sh\s+-c\b")]
    private static partial Regex NestedShell();
}
