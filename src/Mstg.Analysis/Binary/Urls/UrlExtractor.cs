namespace Mstg.Analysis.Binary.Urls;

/// <summary>
/// Pulls http:// and https:// URLs out of arbitrary text (a C string, a resource file). A URL ends at the first
/// character that cannot appear unescaped in one (space, quote, angle bracket …); trailing sentence punctuation
/// is dropped. A bare <c>http://</c> with no host (scheme checks, prefix constants) is not a URL and is skipped.
/// </summary>
public static class UrlExtractor
{
    private static readonly string[] Schemes = ["http://", "https://"];

    public static IEnumerable<UrlCandidate> Extract(string text)
    {
        var index = 0;
        while (index < text.Length)
        {
            var (start, scheme) = NextScheme(text, index);
            if (start < 0) yield break;
            var end = start + scheme.Length;
            while (end < text.Length && IsUrlChar(text[end])) end++;
            var url = text[start..end].TrimEnd('.', ',', ';', ':', '!', '?', ')', '\'');
            index = Math.Max(end, start + scheme.Length);
            if (url.Length <= scheme.Length) continue;
            var host = HostOf(url[scheme.Length..]);
            var schemeName = scheme[..^3].ToLowerInvariant();
            // Normalise the scheme so HTTP:// and http:// count as one URL.
            yield return new UrlCandidate(schemeName + url[(scheme.Length - 3)..], schemeName, host);
        }
    }

    private static (int Start, string Scheme) NextScheme(string text, int from)
    {
        var best = -1;
        var bestScheme = "";
        foreach (var scheme in Schemes)
        {
            var i = text.IndexOf(scheme, from, StringComparison.OrdinalIgnoreCase);
            if (i >= 0 && (best < 0 || i < best)) { best = i; bestScheme = scheme; }
        }
        return (best, bestScheme);
    }

    private static bool IsUrlChar(char c) =>
        c > ' ' && c < 0x7f && c is not ('"' or '<' or '>' or '`' or '^' or '{' or '}' or '|' or '\\');

    /// <summary>The host of an authority-and-path, or null when it is empty or not a plausible host (for example <c>%@</c>).</summary>
    internal static string? HostOf(string rest)
    {
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority[(at + 1)..];
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0) return null;
            host = authority[..(close + 1)];
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
        }
        if (host.Length == 0) return null;
        foreach (var c in host)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '[' or ']' or ':')) return null;
        return host.ToLowerInvariant();
    }
}
