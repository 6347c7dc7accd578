namespace Mstg.Analysis.Reporting;

/// <summary>
/// Maps paths inside a package (<c>Payload/App.app/Info.plist</c>) to paths in the source repository
/// (<c>ios/App/Info.plist</c>), so code scanning can place an alert on a file it knows. Entries are
/// <c>PACKAGE_PREFIX=SOURCE_PREFIX</c>; the longest matching package prefix wins; a path no entry matches is kept.
/// </summary>
public sealed class SourceMap
{
    public static readonly SourceMap Empty = new([]);

    private readonly IReadOnlyList<(string From, string To)> _entries;

    private SourceMap(IReadOnlyList<(string From, string To)> entries) => _entries = entries;

    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Parses <c>--source-map</c> values; a value without <c>=</c> or with an empty package prefix is bad input.</summary>
    public static SourceMap Parse(IEnumerable<string> entries)
    {
        var list = new List<(string, string)>();
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) throw new MstgInputException("command line", "--source-map", $"'{entry}' is not PACKAGE_PREFIX=SOURCE_PREFIX (for example 'Payload/App.app/=ios/App/')");
            list.Add((entry[..eq], entry[(eq + 1)..]));
        }
        // Longest prefix first, so Payload/App.app/PlugIns/Share.appex/ wins over Payload/App.app/.
        return new SourceMap(list.OrderByDescending(e => e.Item1.Length).ToList());
    }

    /// <summary>The source path for <paramref name="packagePath"/>, or null when no entry applies.</summary>
    public string? Map(string packagePath)
    {
        foreach (var (from, to) in _entries)
            if (packagePath.StartsWith(from, StringComparison.Ordinal))
                return to + packagePath[from.Length..];
        return null;
    }
}
