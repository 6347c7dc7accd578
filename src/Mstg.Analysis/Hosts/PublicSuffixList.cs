namespace Mstg.Analysis.Hosts;

/// <summary>
/// The Public Suffix List (publicsuffix.org), embedded from Debian's <c>publicsuffix</c> package (20230209.2326-1).
/// Only answers "is this name itself a public suffix", which is what an ATS exception key with NSIncludesSubdomains
/// needs: such a key opens every registrable domain under it. Both the ICANN and the private section count: a key
/// <c>github.io</c> with subdomains opens every GitHub Pages site, not only the developer's own.
/// </summary>
/// <remarks>
/// The algorithm is the list's own (publicsuffix.org/list, "Algorithm"): a name is a public suffix when a rule
/// matches it exactly, or a wildcard rule <c>*.parent</c> matches it, unless an exception rule <c>!name</c> names it.
/// Names are compared in lower case; internationalised entries are kept in their Unicode form, so an
/// <c>xn--</c> key is compared after IDN decoding.
/// </remarks>
public sealed class PublicSuffixList
{
    private const string ResourceName = "Mstg.Analysis.Hosts.public_suffix_list.dat";

    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcardParents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptions = new(StringComparer.Ordinal);

    private static readonly Lazy<PublicSuffixList> Embedded = new(LoadEmbedded);

    /// <summary>The list shipped inside this assembly.</summary>
    public static PublicSuffixList Default => Embedded.Value;

    public int RuleCount => _rules.Count + _wildcardParents.Count + _exceptions.Count;

    public static PublicSuffixList Parse(TextReader reader)
    {
        var list = new PublicSuffixList();
        while (reader.ReadLine() is { } line)
        {
            // A rule is the first white-space-delimited word of a line; comments start with "//".
            var rule = line.Trim();
            var space = rule.IndexOfAny([' ', '\t']);
            if (space >= 0) rule = rule[..space];
            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal)) continue;
            rule = rule.ToLowerInvariant();
            if (rule.StartsWith('!')) list._exceptions.Add(rule[1..]);
            else if (rule.StartsWith("*.", StringComparison.Ordinal)) list._wildcardParents.Add(rule[2..]);
            else list._rules.Add(rule);
        }
        return list;
    }

    /// <summary>
    /// Is <paramref name="name"/> itself a public suffix (<c>com</c>, <c>co.uk</c>, <c>github.io</c>, <c>anything.ck</c>)?
    /// <c>example.com</c> and <c>www.ck</c> (an exception rule) are not. A single label that is on no list is not
    /// a suffix here either: the list's implicit "*" rule is for splitting host names, and an unlisted single label
    /// (<c>localhost</c>, <c>intranet</c>) is a local name, not a registry.
    /// </summary>
    public bool IsPublicSuffix(string name)
    {
        var n = Normalize(name);
        if (n.Length == 0) return false;
        if (_exceptions.Contains(n)) return false;
        if (_rules.Contains(n)) return true;
        var dot = n.IndexOf('.');
        return dot > 0 && _wildcardParents.Contains(n[(dot + 1)..]);
    }

    private static string Normalize(string name)
    {
        var n = name.Trim().TrimEnd('.').ToLowerInvariant();
        if (!n.Contains("xn--", StringComparison.Ordinal)) return n;
        try { return new System.Globalization.IdnMapping().GetUnicode(n); }
        catch (ArgumentException) { return n; }
    }

    private static PublicSuffixList LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
