using System.CommandLine;
using Mstg.Analysis.Reporting;

namespace Mstg.Cli;

/// <summary>
/// Prints what the parser refused, one "mstg: …" line per error, then for each unknown word the nearest options (for a
/// word starting with '-') or verbs of the command: edit distance at most a third of the word's length (1 to 3), or a
/// prefix: <c>did you mean '--format'?</c>. Always exit 2.
/// </summary>
internal static class ParseErrors
{
    public static int Report(ParseResult parsed, TextWriter stderr)
    {
        foreach (var error in parsed.Errors) stderr.WriteLine($"mstg: {TerminalText.Escape(error.Message)}");
        var command = parsed.CommandResult.Command;
        var options = OptionNames(command).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();
        var verbs = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        // Unknown words end up either unmatched or taken for a path argument (then refused by its validator).
        var words = parsed.UnmatchedTokens.Concat(parsed.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument).Select(t => t.Value)).Distinct();
        foreach (var word in words)
        {
            // An option-like word is compared with the options, any other word with the verbs under the command.
            var candidates = Suggest(word, word.StartsWith('-') ? options : verbs).ToList();
            if (candidates.Count > 0)
                stderr.WriteLine($"mstg: did you mean {string.Join(" or ", candidates.Select(c => $"'{c}'"))}?");
        }
        var path = string.Join(' ', CommandPath(parsed.CommandResult));
        stderr.WriteLine($"Run '{path} --help' for usage.");
        return ExitCodes.Usage;
    }

    /// <summary>Options of the command and the options it inherits from its parents (help).</summary>
    private static IEnumerable<string> OptionNames(Command command)
    {
        foreach (var o in command.Options.Where(o => !o.Hidden))
        {
            yield return o.Name;
            foreach (var a in o.Aliases) yield return a;
        }
        foreach (var parent in command.Parents.OfType<Command>())
            foreach (var o in parent.Options.Where(o => o.Recursive && !o.Hidden)) yield return o.Name;
    }

    /// <summary>The known names nearest to <paramref name="token"/>: all at the smallest distance found, or those it is a prefix of.</summary>
    internal static IEnumerable<string> Suggest(string token, IReadOnlyList<string> known)
    {
        var name = token.Split('=', 2)[0];
        var close = known.Distinct()
            .Select(k => (k, d: Distance(name, k)))
            .Where(p => p.d <= Math.Min(3, Math.Max(1, name.Length / 3)) || (name.Length >= 4 && p.k.StartsWith(name, StringComparison.Ordinal)))
            .ToList();
        if (close.Count == 0) return [];
        var best = close.Min(p => p.d);
        return close.Where(p => p.d == best).Select(p => p.k).Order(StringComparer.Ordinal).Take(3);
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command is RootCommand ? "mstg" : r.Command.Name);
        return names;
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit (optimal string alignment): "scna" is 1 from "scan".</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
