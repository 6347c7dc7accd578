using System.Text.Json;
using System.Text.Json.Serialization;
using Mstg.Analysis.Hosts;

namespace Mstg.Analysis.Binary.Urls;

/// <summary>
/// The data-driven list of http:// URLs that are identifiers rather than endpoints (url-exclusions.json, embedded).
/// Keeping it as data lets a reviewer see and extend exactly what the cleartext rule ignores.
/// </summary>
public sealed class UrlExclusions
{
    private readonly IReadOnlyList<Exclusion> _entries;

    private UrlExclusions(IReadOnlyList<Exclusion> entries) => _entries = entries;

    public sealed record Exclusion(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("reason")] string Reason);

    private sealed record ExclusionFile([property: JsonPropertyName("exclusions")] List<Exclusion>? Exclusions);

    public IReadOnlyList<Exclusion> Entries => _entries;

    public static UrlExclusions Default { get; } = LoadEmbedded();

    private static UrlExclusions LoadEmbedded()
    {
        using var stream = typeof(UrlExclusions).Assembly.GetManifestResourceStream("Mstg.Analysis.Binary.Urls.url-exclusions.json")
            ?? throw new InvalidOperationException("Embedded resource url-exclusions.json is missing from Mstg.Analysis.");
        return Load(stream, "url-exclusions.json");
    }

    /// <summary>Reads an exclusion file; a malformed one is an input error naming the file.</summary>
    public static UrlExclusions Load(Stream json, string source)
    {
        ExclusionFile? file;
        try { file = JsonSerializer.Deserialize<ExclusionFile>(json); }
        catch (JsonException e) { throw new MstgInputException(source, $"line {e.LineNumber + 1}", "not a valid URL exclusion file: " + e.Message, e); }
        var entries = file?.Exclusions ?? throw new MstgInputException(source, "root", "no \"exclusions\" array");
        foreach (var e in entries)
            if (e.Kind is not ("prefix" or "host" or "hostSuffix" or "hostPrefix") || string.IsNullOrEmpty(e.Value))
                throw new MstgInputException(source, $"exclusion '{e.Value}'", $"unknown kind '{e.Kind}' or empty value");
        return new UrlExclusions(entries);
    }

    /// <summary>The exclusion that covers <paramref name="url"/>, or null.</summary>
    public Exclusion? Match(UrlCandidate url) => _entries.FirstOrDefault(e => e.Kind switch
    {
        "prefix" => url.Url.StartsWith(e.Value, StringComparison.OrdinalIgnoreCase),
        "host" => url.Host is not null && string.Equals(url.Host, e.Value, StringComparison.OrdinalIgnoreCase),
        // A suffix is a domain: "example.com" and ".example.com" both cover example.com and its subdomains, never badexample.com.
        "hostSuffix" => url.Host is not null && HostNames.IsSameOrUnder(url.Host, e.Value.TrimStart('.')),
        "hostPrefix" => url.Host is not null && url.Host.StartsWith(e.Value, StringComparison.OrdinalIgnoreCase),
        _ => false,
    });
}
