using System.Globalization;
using System.Text.Json;

namespace Mstg.Analysis.Waivers;

/// <summary>
/// Reads a waiver (baseline) file: <c>{"waivers": [{"rule": …, "justification": …, "expires": "2027-06-30"}, …]}</c>.
/// Strict like the attestation reader: an unknown field (<c>expiry</c> for <c>expires</c>), a missing justification or
/// expiry, or a date that is not yyyy-MM-dd is an <see cref="MstgInputException"/> naming the file and the entry, because
/// a waiver that silently matched more (or less) than its author meant changes the verdict. Shared by <c>mstg scan
/// --baseline</c> and the suites.
/// </summary>
public static class WaiverFile
{
    private static readonly HashSet<string> Fields =
        ["rule", "test", "bundle", "location", "domain", "host", "condition", "endpoint", "justification", "expires", "approvedBy", "approvedOn"];

    public static IReadOnlyList<Waiver> Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new MstgInputException(path, "file", e.Message, e); }
        return Parse(text, path);
    }

    public static IReadOnlyList<Waiver> Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new MstgInputException(source, $"line {(e.LineNumber ?? 0) + 1}", $"not valid JSON: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("waivers", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new MstgInputException(source, "root", "expected an object with a \"waivers\" array");
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name is not ("waivers" or "$schema"))
                    throw new MstgInputException(source, "root", $"unknown field \"{p.Name}\" (only \"waivers\")");
            var waivers = new List<Waiver>();
            var i = 0;
            foreach (var entry in list.EnumerateArray())
            {
                waivers.Add(Read(entry, source, $"waivers[{i}]"));
                i++;
            }
            return waivers;
        }
    }

    private static Waiver Read(JsonElement entry, string source, string place)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw new MstgInputException(source, place, "expected an object");
        foreach (var p in entry.EnumerateObject())
            if (!Fields.Contains(p.Name))
                throw new MstgInputException(source, place, $"unknown field \"{p.Name}\" (allowed: {string.Join(", ", Fields)})");
        var rule = Text(entry, "rule", source, place);
        var test = Text(entry, "test", source, place);
        if (rule is null && test is null) throw new MstgInputException(source, place, "\"rule\" is required (or \"test\", a dynamic probe id, for a dynamic case)");
        if (rule is not null && !RuleCatalog.TryGet(rule, out _)) throw new MstgInputException(source, $"{place}.rule", $"'{rule}' is not a rule id (docs/rules.md)");
        var justification = Text(entry, "justification", source, place, required: true)!;
        if (string.IsNullOrWhiteSpace(justification)) throw new MstgInputException(source, $"{place}.justification", "is empty: say why the finding is acceptable");
        var expires = Date(entry, "expires", source, place, required: true)!.Value;
        var endpoint = Text(entry, "endpoint", source, place);
        var host = Text(entry, "host", source, place);
        var condition = Text(entry, "condition", source, place);
        // A dynamic case and a server endpoint are different subjects: an entry naming both could never match.
        if (endpoint is not null && (host ?? condition ?? test) is not null)
            throw new MstgInputException(source, place, "\"endpoint\" (a server case) cannot be combined with \"test\", \"host\" or \"condition\" (a dynamic case)");
        return new Waiver(rule, Text(entry, "bundle", source, place), Text(entry, "location", source, place), Text(entry, "domain", source, place),
            justification, expires, $"{source}: {place}")
        {
            Test = test,
            Host = host,
            Condition = condition,
            Endpoint = endpoint,
            ApprovedBy = Text(entry, "approvedBy", source, place),
            ApprovedOn = Date(entry, "approvedOn", source, place),
        };
    }

    private static DateOnly? Date(JsonElement entry, string name, string source, string place, bool required = false)
    {
        if (Text(entry, name, source, place, required) is not { } text) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new MstgInputException(source, $"{place}.{name}", $"'{text}' is not a date (yyyy-MM-dd)");
    }

    private static string? Text(JsonElement entry, string name, string source, string place, bool required = false)
    {
        if (!entry.TryGetProperty(name, out var value))
            return required ? throw new MstgInputException(source, place, $"\"{name}\" is required") : null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new MstgInputException(source, $"{place}.{name}", "expected a string");
    }

    /// <summary>Applies <paramref name="waivers"/> to <paramref name="findings"/> as of <paramref name="today"/>. Only fail and warn findings are suppressed.</summary>
    public static WaiverOutcome Apply(IEnumerable<Finding> findings, IReadOnlyList<Waiver> waivers, DateOnly today)
    {
        if (waivers.Count == 0) return WaiverOutcome.None;
        var live = waivers.Where(w => !w.IsExpired(today)).ToList();
        var suppressed = new Dictionary<Finding, Waiver>();
        foreach (var f in findings)
        {
            if (f.Verdict is not (Verdict.Fail or Verdict.Warn)) continue;
            if (live.FirstOrDefault(w => w.Matches(f)) is { } waiver) suppressed.TryAdd(f, waiver);
        }
        return new WaiverOutcome(suppressed, waivers.Where(w => w.IsExpired(today)).ToList());
    }
}
