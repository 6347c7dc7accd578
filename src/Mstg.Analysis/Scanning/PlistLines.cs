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
        foreach (var finding in findings)
        {
            var at = finding.Location.IndexOf(Marker, StringComparison.Ordinal);
            if (finding.Line is null && at >= 0 && byPath.TryGetValue(finding.Bundle, out var context) && context.Info is { } info
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
