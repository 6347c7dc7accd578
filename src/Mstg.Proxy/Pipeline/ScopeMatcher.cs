using System.Text.RegularExpressions;

namespace Mstg.Proxy.Pipeline;

/// <summary>Host globs: '*' matches within and across labels ("*.example.com" matches "a.b.example.com", not "example.com").</summary>
public sealed class ScopeMatcher
{
    private readonly Regex[] _patterns;

    public ScopeMatcher(IEnumerable<string> globs)
    {
        _patterns = globs.Where(g => !string.IsNullOrWhiteSpace(g))
            .Select(g => new Regex("^" + Regex.Escape(g.Trim().ToLowerInvariant()).Replace(@"\*", ".*") + "$",
                RegexOptions.CultureInvariant | RegexOptions.NonBacktracking))
            .ToArray();
    }

    public bool IsEverything => _patterns.Length == 0;

    public bool Matches(string host) =>
        _patterns.Length == 0 || _patterns.Any(p => p.IsMatch(host.TrimEnd('.').ToLowerInvariant()));
}
