using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Mstg.Analysis.Libraries;

/// <summary>One entry of library-signatures.json: how a library is recognised and what is known about it.</summary>
public sealed record LibrarySignature
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>The package name advisories use.</summary>
    [JsonPropertyName("package")] public string Package { get; init; } = "";
    [JsonPropertyName("tlsStack")] public bool TlsStack { get; init; }
    [JsonPropertyName("pinning")] public bool Pinning { get; init; }
    [JsonPropertyName("frameworks")] public List<string> Frameworks { get; init; } = [];
    [JsonPropertyName("classes")] public List<string> Classes { get; init; } = [];
    [JsonPropertyName("swiftModules")] public List<string> SwiftModules { get; init; } = [];
    [JsonPropertyName("definedSymbols")] public List<string> DefinedSymbols { get; init; } = [];
    [JsonPropertyName("versionStrings")] public List<string> VersionStrings { get; init; } = [];
    [JsonPropertyName("markerStrings")] public List<string> MarkerStrings { get; init; } = [];
    [JsonPropertyName("excludedBy")] public List<string> ExcludedBy { get; init; } = [];
    [JsonPropertyName("deprecated")] public Deprecation? Deprecated { get; init; }

    [JsonIgnore] public IReadOnlyList<Regex> VersionPatterns { get; private set; } = [];

    internal LibrarySignature Compile() =>
        this with { VersionPatterns = VersionStrings.Select(p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1))).ToList() };
}

/// <summary>Why a library counts as unmaintained; <see cref="Before"/> limits it to older versions, <see cref="WhenStrings"/> to uses of a deprecated API.</summary>
public sealed record Deprecation
{
    [JsonPropertyName("since")] public string Since { get; init; } = "";
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("reference")] public string Reference { get; init; } = "";
    [JsonPropertyName("before")] public string? Before { get; init; }
    [JsonPropertyName("whenStrings")] public List<string> WhenStrings { get; init; } = [];
}

/// <summary>The signature table, loaded from the embedded library-signatures.json.</summary>
public static class LibrarySignatures
{
    private sealed record SignatureFile([property: JsonPropertyName("libraries")] List<LibrarySignature>? Libraries);

    public static IReadOnlyList<LibrarySignature> All { get; } = LoadEmbedded();

    private static IReadOnlyList<LibrarySignature> LoadEmbedded()
    {
        using var stream = typeof(LibrarySignatures).Assembly.GetManifestResourceStream("Mstg.Analysis.Libraries.library-signatures.json")
            ?? throw new InvalidOperationException("Embedded resource library-signatures.json is missing from Mstg.Analysis.");
        return Load(stream, "library-signatures.json");
    }

    public static IReadOnlyList<LibrarySignature> Load(Stream json, string source)
    {
        SignatureFile? file;
        try { file = JsonSerializer.Deserialize<SignatureFile>(json); }
        catch (JsonException e) { throw new MstgInputException(source, $"line {e.LineNumber + 1}", "not a valid signature file: " + e.Message, e); }
        var list = file?.Libraries ?? throw new MstgInputException(source, "root", "no \"libraries\" array");
        try { return list.Select(l => l.Compile()).ToList(); }
        catch (ArgumentException e) { throw new MstgInputException(source, "versionStrings", "bad regular expression: " + e.Message, e); }
    }

    /// <summary>Names of bundles (framework folders) that belong to a known library, so evidence found there is the library's own code.</summary>
    public static bool IsLibraryFramework(string bundleName) =>
        All.Any(l => l.Frameworks.Contains(bundleName, StringComparer.OrdinalIgnoreCase));
}
