using System.Globalization;
using System.Text.Json;
using Mstg.Analysis.Rules;

namespace Mstg.Analysis.Libraries;

/// <summary>
/// Advisories from the built-in advisories.json plus any user files (<see cref="ScanOptions.AdvisoryFiles"/>).
/// A file may hold one OSV object, an array of them, or <c>{"advisories": [...]}</c>; the object form may also carry
/// <c>asOf</c> (the date the data was reviewed), <c>coverage</c> (the packages reviewed) and <c>endOfLife</c> (branches
/// and the date their support ends). docs/advisories.md describes the format.
/// </summary>
public sealed class AdvisoryDatabase
{
    private const string BuiltInName = "advisories.json (built-in)";
    private readonly IReadOnlyList<Advisory> _advisories;

    public AdvisoryDatabase(IEnumerable<Advisory> advisories) : this(new AdvisoryData(advisories.ToList(), null, [], [])) { }

    public AdvisoryDatabase(AdvisoryData data, IReadOnlyList<string>? userFiles = null)
    {
        _advisories = data.Advisories;
        AsOf = data.AsOf;
        Coverage = data.Coverage;
        EndOfLife = data.EndOfLife;
        UserFiles = userFiles ?? [];
    }

    public IReadOnlyList<Advisory> Advisories => _advisories;
    /// <summary>When the built-in data was last reviewed against the published advisories; null for data without a date.</summary>
    public DateOnly? AsOf { get; }
    public IReadOnlyList<PackageCoverage> Coverage { get; }
    public IReadOnlyList<EndOfLife> EndOfLife { get; }
    public IReadOnlyList<string> UserFiles { get; }

    /// <summary>"advisory data as of 2026-12-01" (plus the user files), for every verdict that depends on the data.</summary>
    public string Describe() =>
        (AsOf is { } d ? $"advisory data as of {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "advisory data without a review date") +
        (UserFiles.Count == 0 ? "" : $", plus {string.Join(", ", UserFiles)}");

    /// <summary>The data a scan with <paramref name="options"/> reads, described for report headers (no file is opened).</summary>
    public static string DescribeFor(ScanOptions options) =>
        new AdvisoryDatabase(new AdvisoryData([], BuiltIn.AsOf, [], []), options.AdvisoryFiles).Describe();

    /// <summary>
    /// How the data covers <paramref name="package"/>: its reviewed coverage entry, or a synthetic one when only a user
    /// file names it (the user vouches for their own file); null when nothing covers it.
    /// </summary>
    public PackageCoverage? CoverageOf(string package) =>
        Coverage.FirstOrDefault(c => string.Equals(c.Package, package, StringComparison.OrdinalIgnoreCase))
        ?? (_advisories.FirstOrDefault(a => a.Origin != BuiltInName && a.Affected.Any(p => string.Equals(p.Package.Name, package, StringComparison.OrdinalIgnoreCase))) is { } user
            ? new PackageCoverage { Package = package, Sources = [user.Origin] }
            : null);

    /// <summary>The end-of-life entry of the branch <paramref name="version"/> belongs to, whatever its date.</summary>
    public EndOfLife? BranchOf(string package, LibraryVersion version) =>
        EndOfLife.FirstOrDefault(e => string.Equals(e.Package, package, StringComparison.OrdinalIgnoreCase) && e.Contains(version));

    private static readonly System.Text.Json.JsonSerializerOptions StrictJson = new() { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    public static AdvisoryDatabase BuiltIn { get; } = new(LoadBuiltIn());

    /// <summary>
    /// The data a scan with <paramref name="options"/> reads: the built-in database, or the built-in plus the user's
    /// files, each read once. Throws <see cref="MstgInputException"/> naming the file that cannot be read.
    /// </summary>
    public static AdvisoryDatabase For(ScanOptions options) =>
        options.AdvisoryFiles.Count == 0 ? BuiltIn : WithFiles(options.AdvisoryFiles);

    /// <summary>
    /// The scan's database for <paramref name="context"/>: the one the scanner read before the first bundle
    /// (<see cref="ScanShared"/>), so every bundle and rule of a scan shares one read of the user's files.
    /// </summary>
    public static AdvisoryDatabase Of(BundleContext context) => context.Shared.GetOrAdd(() => For(context.Options));

    /// <summary>The built-in advisories plus those in <paramref name="files"/>.</summary>
    public static AdvisoryDatabase WithFiles(IEnumerable<string> files)
    {
        var all = new List<Advisory>(BuiltIn.Advisories);
        var coverage = new List<PackageCoverage>(BuiltIn.Coverage);
        var endOfLife = new List<EndOfLife>(BuiltIn.EndOfLife);
        var names = new List<string>();
        foreach (var path in files)
        {
            try
            {
                using var stream = File.OpenRead(path);
                var data = LoadData(stream, path);
                all.AddRange(data.Advisories);
                // A user's coverage and end-of-life entries count as much as the built-in ones (first entry per package wins for coverage).
                coverage.AddRange(data.Coverage.Where(c => !coverage.Any(b => string.Equals(b.Package, c.Package, StringComparison.OrdinalIgnoreCase))));
                endOfLife.AddRange(data.EndOfLife);
                names.Add(path);
            }
            catch (IOException e) { throw new MstgInputException(path, "file", "advisory file could not be read: " + e.Message, e); }
            catch (UnauthorizedAccessException e) { throw new MstgInputException(path, "file", "advisory file could not be read: " + e.Message, e); }
        }
        return new AdvisoryDatabase(new AdvisoryData(all, BuiltIn.AsOf, coverage, endOfLife), names);
    }

    private static AdvisoryData LoadBuiltIn()
    {
        using var stream = typeof(AdvisoryDatabase).Assembly.GetManifestResourceStream("Mstg.Analysis.Libraries.advisories.json")
            ?? throw new InvalidOperationException("Embedded resource advisories.json is missing from Mstg.Analysis.");
        return LoadData(stream, BuiltInName);
    }

    /// <summary>Reads advisories; anything malformed is an <see cref="MstgInputException"/> naming the file and the advisory.</summary>
    public static IReadOnlyList<Advisory> Load(Stream json, string source) => LoadData(json, source).Advisories;

    /// <summary>Reads a whole data file: advisories plus, in the object form, its date, coverage and end-of-life table.</summary>
    public static AdvisoryData LoadData(Stream json, string source)
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
            return root.ValueKind == JsonValueKind.Object
                ? new AdvisoryData(result, ReadAsOf(root, source), ReadList<PackageCoverage>(root, "coverage", source), ReadEndOfLife(root, source))
                : new AdvisoryData(result, null, [], []);
        }
    }

    private static DateOnly? ReadAsOf(JsonElement root, string source)
    {
        if (!root.TryGetProperty("asOf", out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        throw new MstgInputException(source, "asOf", "expected a date written yyyy-MM-dd");
    }

    private static List<T> ReadList<T>(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value)) return [];
        try { return value.Deserialize<List<T>>(StrictJson) ?? throw new JsonException("null list"); }
        catch (JsonException e) { throw new MstgInputException(source, name, "wrong shape: " + e.Message, e); }
    }

    private static List<EndOfLife> ReadEndOfLife(JsonElement root, string source)
    {
        var list = ReadList<EndOfLife>(root, "endOfLife", source);
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            if (e.Package.Length == 0 || !LibraryVersion.TryParse(e.Introduced, out var from) || !LibraryVersion.TryParse(e.Before, out var to) || from >= to)
                throw new MstgInputException(source, $"endOfLife #{i} ({e.Package} {e.Branch})", "needs a package and versions introduced < before");
        }
        return list;
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

/// <summary>The contents of one advisory data file.</summary>
public sealed record AdvisoryData(IReadOnlyList<Advisory> Advisories, DateOnly? AsOf, IReadOnlyList<PackageCoverage> Coverage, IReadOnlyList<EndOfLife> EndOfLife);
