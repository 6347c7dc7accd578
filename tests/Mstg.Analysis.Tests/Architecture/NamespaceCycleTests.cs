using System.Text.RegularExpressions;
using Mstg.Fixtures;

namespace Mstg.Analysis.Tests.Architecture;

/// <summary>
/// The namespaces of Mstg.Analysis form no cycle: rule families depend on the shared plumbing (<c>Rules</c>) and on
/// <c>Hosts</c>, never the other way round. Read from the sources: a type name used in one namespace and declared
/// (top level) in another is a dependency.
/// </summary>
public sealed partial class NamespaceCycleTests
{
    [Fact]
    public void Mstg_Analysis_namespaces_have_no_cycle()
    {
        var folder = Path.Combine(RepositoryLayout.Root, "src", "Mstg.Analysis");
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(folder, p).Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"))
            .ToDictionary(p => Path.GetRelativePath(folder, p), File.ReadAllText);
        var graph = Dependencies(sources);
        graph.Keys.Should().Contain(["Mstg.Analysis.Rules", "Mstg.Analysis.Ats", "Mstg.Analysis.Pinning"], "the scan must see the sources");
        Cycles(graph).Should().BeEmpty();
    }

    [Fact]
    public void A_cycle_between_two_namespaces_is_found()
    {
        var graph = Dependencies(new Dictionary<string, string>
        {
            ["A/X.cs"] = "namespace N.A;\npublic sealed class X { public N.B.Y? Other; }\n",
            ["B/Y.cs"] = "namespace N.B;\ninternal sealed class Y { // X in a comment does not count\n  private X? _back; }\n",
            ["C/Z.cs"] = "namespace N.C;\npublic static class Z { public static string S = \"Y in a string does not count\"; }\n",
        });
        Cycles(graph).Should().ContainSingle().Which.Should().BeEquivalentTo(["N.A", "N.B"]);
    }

    /// <summary>Namespace → the namespaces whose types it names.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies(IReadOnlyDictionary<string, string> sources)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var namespaceOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in sources)
        {
            var ns = NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
            namespaceOf[path] = ns;
            foreach (Match t in TypeDeclaration().Matches(text)) owner[t.Groups[1].Value] = ns;
        }
        var graph = namespaceOf.Values.Distinct().ToDictionary(n => n, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var (path, text) in sources)
        {
            var code = LineComment().Replace(StringLiteral().Replace(text, "\"\""), "");
            code = UsingLine().Replace(code, "");
            code = MemberName().Replace(code, "$1");
            foreach (Match word in Identifier().Matches(code))
                if (owner.TryGetValue(word.Value, out var target) && target != namespaceOf[path]) graph[namespaceOf[path]].Add(target);
        }
        return graph;
    }

    /// <summary>Every strongly connected group of more than one namespace (Tarjan).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var found = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); group.Add(x); } while (x != v);
            if (group.Count > 1) found.Add(group.Order(StringComparer.Ordinal).ToList());
        }
        foreach (var v in graph.Keys.ToList()) if (!index.ContainsKey(v)) Visit(v);
        return found;
    }

    [GeneratedRegex(@"^namespace ([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial)\s+)*(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex("@?\"(?:\\\\.|[^\"\\\\\\n])*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"^\s*using [^;]*;\s*$", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    // A member declared with the name of a type (AtsKeys.PinnedDomain): the declared name is not a use of the type.
    [GeneratedRegex(@"(?<=[\w>\]?])(\s+)\w+(?=\s*(?:=[^=>]|\{|=>))")]
    private static partial Regex MemberName();

    [GeneratedRegex(@"\b[A-Z]\w*")]
    private static partial Regex Identifier();
}
