using System.Text.Json;

namespace Mstg.Analysis.Libraries;

/// <summary>
/// Advisories from the built-in advisories.json plus any user files (<see cref="ScanOptions.AdvisoryFiles"/>).
/// A file may hold one OSV object, an array of them, or <c>{"advisories": [...]}</c>.
/// </summary>
public sealed class AdvisoryDatabase
{
    private const string BuiltInName = "advisories.json (built-in)";
    private readonly IReadOnlyList<Advisory> _advisories;

    public AdvisoryDatabase(IEnumerable<Advisory> advisories) => _advisories = advisories.ToList();

    public IReadOnlyList<Advisory> Advisories => _advisories;

    private static readonly System.Text.Json.JsonSerializerOptions StrictJson = new() { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    public static AdvisoryDatabase BuiltIn { get; } = new(LoadBuiltIn());

    /// <summary>The built-in advisories plus those in <paramref name="files"/>.</summary>
    public static AdvisoryDatabase WithFiles(IEnumerable<string> files)
    {
        var all = new List<Advisory>(BuiltIn.Advisories);
        foreach (var path in files)
        {
            try
            {
                using var stream = File.OpenRead(path);
                all.AddRange(Load(stream, path));
            }
            catch (IOException e) { throw new MstgInputException(path, "file", "advisory file could not be read: " + e.Message, e); }
            catch (UnauthorizedAccessException e) { throw new MstgInputException(path, "file", "advisory file could not be read: " + e.Message, e); }
        }
        return new AdvisoryDatabase(all);
    }

    private static IReadOnlyList<Advisory> LoadBuiltIn()
    {
        using var stream = typeof(AdvisoryDatabase).Assembly.GetManifestResourceStream("Mstg.Analysis.Libraries.advisories.json")
            ?? throw new InvalidOperationException("Embedded resource advisories.json is missing from Mstg.Analysis.");
        return Load(stream, BuiltInName);
    }

    /// <summary>Reads advisories; anything malformed is an <see cref="MstgInputException"/> naming the file and the advisory.</summary>
    public static IReadOnlyList<Advisory> Load(Stream json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 }); }
        catch (JsonException e) { throw new MstgInputException(source, $"line {e.LineNumber + 1}", "not valid JSON: " + e.Message, e); }
        using (document)
        {
            var root = document.RootElement;
            IEnumerable<JsonElement> items = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray(),
                JsonValueKind.Object when root.TryGetProperty("advisories", out var list) && list.ValueKind == JsonValueKind.Array => list.EnumerateArray(),
                JsonValueKind.Object => [root],
                _ => throw new MstgInputException(source, "root", "expected an OSV advisory object, an array of them or {\"advisories\": [...]}"),
            };
            var result = new List<Advisory>();
            var index = 0;
            foreach (var item in items)
            {
                Advisory advisory;
                // Honour the model's non-nullable members: a user file with "id": null is a typed error, not a NullReferenceException later.
                try { advisory = item.Deserialize<Advisory>(StrictJson) ?? throw new JsonException("null advisory"); }
                catch (JsonException e) { throw new MstgInputException(source, $"advisory #{index}", "wrong shape: " + e.Message, e); }
                Validate(advisory, source, index);
                result.Add(advisory with { Origin = source });
                index++;
            }
            return result;
        }
    }

    private static void Validate(Advisory a, string source, int index)
    {
        var place = $"advisory #{index} ({(a.Id.Length == 0 ? "no id" : a.Id)})";
        if (a.Id.Length == 0) throw new MstgInputException(source, place, "missing \"id\"");
        if (a.Affected.Count == 0) throw new MstgInputException(source, place, "no \"affected\" packages");
        foreach (var affected in a.Affected)
        {
            if (affected.Package.Name.Length == 0) throw new MstgInputException(source, place, "an affected entry has no package name");
            foreach (var v in affected.Versions.Where(v => !LibraryVersion.TryParse(v, out _)))
                throw new MstgInputException(source, place, $"'{v}' in \"versions\" is not a version");
            foreach (var e in affected.Ranges.SelectMany(r => r.Events))
            {
                var values = new[] { e.Introduced, e.Fixed, e.LastAffected }.Where(x => x is not null).ToList();
                if (values.Count != 1) throw new MstgInputException(source, place, "each range event needs exactly one of introduced, fixed, last_affected");
                if (!LibraryVersion.TryParse(values[0], out _)) throw new MstgInputException(source, place, $"'{values[0]}' in a range event is not a version");
            }
        }
    }

    /// <summary>Advisories affecting <paramref name="package"/> at <paramref name="version"/> (package names compare case-insensitively).</summary>
    public IEnumerable<Advisory> Matching(string package, LibraryVersion version) =>
        _advisories.Where(a => a.Affected.Any(p =>
            string.Equals(p.Package.Name, package, StringComparison.OrdinalIgnoreCase) && IsAffected(p, version)));

    /// <summary>OSV range semantics: walking the events in version order, introduced switches "affected" on, fixed (at or below
    /// the version) and last_affected (strictly below it) switch it off. Explicit versions always match.</summary>
    public static bool IsAffected(AffectedPackage package, LibraryVersion version)
    {
        if (package.Versions.Any(v => LibraryVersion.Parse(v).Equals(version))) return true;
        foreach (var range in package.Ranges)
        {
            var affected = false;
            foreach (var (kind, at) in range.Events
                         .Select(e => e.Introduced is not null ? (Kind: 0, At: LibraryVersion.Parse(e.Introduced))
                             : e.Fixed is not null ? (Kind: 1, At: LibraryVersion.Parse(e.Fixed))
                             : (Kind: 2, At: LibraryVersion.Parse(e.LastAffected!)))
                         .OrderBy(e => e.At).ThenBy(e => e.Kind))
            {
                if (kind == 0 && version >= at) affected = true;
                else if (kind == 1 && version >= at) affected = false;
                else if (kind == 2 && version > at) affected = false;
            }
            if (affected) return true;
        }
        return false;
    }
}
