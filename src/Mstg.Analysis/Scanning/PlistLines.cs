using Mstg.Analysis.Rules;
using Mstg.Plist;

namespace Mstg.Analysis.Scanning;

/// <summary>
/// Gives plist findings the line of the key they name (<c>Info.plist:NSAppTransportSecurity/NSExceptionDomains/x.com/…</c>),
/// so SARIF viewers and editors can point at it. Done once here, from the parsed tree, instead of in every rule.
/// </summary>
internal static class PlistLines
{
    private const string Marker = "Info.plist:";

    public static IEnumerable<Finding> Attach(IEnumerable<Finding> findings, IReadOnlyList<BundleContext> contexts)
    {
        var byPath = contexts.GroupBy(c => c.Bundle.Path).ToDictionary(g => g.Key, g => g.First());
        var byPlist = contexts.Where(c => c.Bundle.InfoPlistPath is not null).GroupBy(c => c.Bundle.InfoPlistPath!).ToDictionary(g => g.Key, g => g.First());
        foreach (var finding in findings)
        {
            var at = finding.Location.IndexOf(Marker, StringComparison.Ordinal);
            // "Payload/App.app/PlugIns/X.appex/Info.plist:…" names its plist; a bare "Info.plist:…" is the finding's own bundle's.
            var context = at > 0 && byPlist.TryGetValue(finding.Location[..(at + Marker.Length - 1)], out var named) ? named
                : byPath.GetValueOrDefault(finding.Bundle);
            if (finding.Line is null && at >= 0 && context?.Info is { } info
                && LineOf(info, finding.Location[(at + Marker.Length)..]) is { } line)
                yield return finding with { Line = line };
            else
                yield return finding;
        }
    }

    /// <summary>The line of the deepest key of <paramref name="keyPath"/> that exists (a missing key points at its parent).</summary>
    private static int? LineOf(PlistDict root, string keyPath)
    {
        int? line = null;
        PlistNode? node = root;
        foreach (var key in keyPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not PlistDict dict || dict.GetEntry(key) is not { } entry) break;
            if (entry.KeyPosition.Line > 0) line = entry.KeyPosition.Line;
            node = entry.Value;
        }
        return line;
    }
}
