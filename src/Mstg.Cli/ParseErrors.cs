using System.CommandLine;
using Mstg.Analysis.Reporting;

namespace Mstg.Cli;

/// <summary>
/// Prints what the parser refused, one "mstg: …" line per error, then for each unknown option the nearest options of
/// the command (edit distance at most 3, or a prefix): <c>did you mean '--format'?</c>. Always exit 2.
/// </summary>
internal static class ParseErrors
{
    public static int Report(ParseResult parsed, TextWriter stderr)
    {
        foreach (var error in parsed.Errors) stderr.WriteLine($"mstg: {TerminalText.Escape(error.Message)}");
        var command = parsed.CommandResult.Command;
        var known = KnownNames(command).ToList();
        // Unknown option-like words end up either unmatched or taken for a path argument (then refused by its validator).
        var words = parsed.UnmatchedTokens.Concat(parsed.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument).Select(t => t.Value))
            .Where(t => t.StartsWith('-') || parsed.CommandResult.Command is RootCommand).Distinct();
        foreach (var token in words)
        {
            var candidates = Suggest(token, known).ToList();
            if (candidates.Count > 0)
                stderr.WriteLine($"mstg: did you mean {string.Join(" or ", candidates.Select(c => $"'{c}'"))}?");
        }
        var path = string.Join(' ', CommandPath(parsed.CommandResult));
        stderr.WriteLine($"Run '{path} --help' for usage.");
        return ExitCodes.Usage;
    }

    /// <summary>Options of the command and the options it inherits; for the root, also its verbs.</summary>
    private static IEnumerable<string> KnownNames(Command command)
    {
        foreach (var o in command.Options)
        {
            if (o.Hidden) continue;
            yield return o.Name;
            foreach (var a in o.Aliases) yield return a;
        }
        foreach (var c in command.Subcommands)
            if (!c.Hidden) yield return c.Name;
        foreach (var parent in command.Parents.OfType<Command>())
            foreach (var o in parent.Options.Where(o => o.Recursive && !o.Hidden)) yield return o.Name;
    }

    internal static IEnumerable<string> Suggest(string token, IReadOnlyList<string> known)
    {
        var name = token.Split('=', 2)[0];
        return known.Distinct()
            .Select(k => (k, d: Distance(name, k)))
            .Where(p => p.d <= Math.Min(3, Math.Max(2, p.k.Length / 3)) || (name.Length >= 4 && p.k.StartsWith(name, StringComparison.Ordinal)))
            .OrderBy(p => p.d).ThenBy(p => p.k, StringComparer.Ordinal)
            .Take(3)
            .Select(p => p.k);
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command is RootCommand ? "mstg" : r.Command.Name);
        return names;
    }

    /// <summary>Levenshtein distance, two rows.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
