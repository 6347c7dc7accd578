using System.Globalization;
using System.Text.Json;

namespace Mstg.Analysis.Attestations;

/// <summary>
/// A person's signed-off review of something no scan can decide, for one app: MSTG-NETWORK-5 ("critical operations do
/// not rely on SMS or e-mail") is the first. Format and rules: docs/attestations.md.
/// </summary>
/// <param name="Requirement">The MSTG requirement reviewed (MSTG-NETWORK-5).</param>
/// <param name="App">Bundle identifier of the app reviewed (its main <c>CFBundleIdentifier</c>).</param>
/// <param name="Reviewer">Who reviewed, as it should appear in the report.</param>
/// <param name="Date">When the review was done.</param>
/// <param name="Expires">Until when the review holds; without it, one year after <paramref name="Date"/>.</param>
/// <param name="Flows">The flows reviewed, each with its conclusion, in the reviewer's words.</param>
/// <param name="Source">Where the attestation was read from (a file path, or "inline"), for messages.</param>
public sealed record ReviewAttestation(string Requirement, string App, string Reviewer, DateOnly Date, DateOnly? Expires,
    IReadOnlyList<string> Flows, string? Notes, string Source)
{
    /// <summary>How long a review holds when it names no expiry: apps and their flows change, so a year at most.</summary>
    public static readonly int DefaultValidityYears = 1;

    /// <summary>The first day on which the review no longer holds.</summary>
    public DateOnly ValidUntil => Expires ?? Date.AddYears(DefaultValidityYears);

    public bool IsExpired(DateOnly today) => today >= ValidUntil;

    public override string ToString() =>
        $"{Requirement} for {App} reviewed by {Reviewer} on {Date:yyyy-MM-dd} (valid until {ValidUntil:yyyy-MM-dd}{(Expires is null ? ", one year" : "")})";
}

/// <summary>
/// Reads review attestations: a JSON object, or an array of them, given inline or as a path to a file. Strict, because
/// a misspelt field (an <c>expiry</c> for <c>expires</c>) would otherwise silently change what the report claims:
/// every problem is an <see cref="MstgInputException"/> naming the source, the attestation and the field.
/// </summary>
public static class ReviewAttestations
{
    public const string Network5 = "MSTG-NETWORK-5";

    private static readonly string[] Known = ["requirement", "app", "reviewer", "date", "expires", "flows", "notes"];

    /// <summary>
    /// <paramref name="setting"/> is inline JSON when it starts with <c>{</c> or <c>[</c>, else a file path (relative to the
    /// current directory). <paramref name="today"/> rejects review dates in the future.
    /// </summary>
    public static IReadOnlyList<ReviewAttestation> Load(string setting, DateOnly today)
    {
        var trimmed = setting.Trim();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('[')) return Parse(trimmed, "inline attestation", today);
        var path = Path.GetFullPath(trimmed);
        if (!File.Exists(path)) throw new MstgInputException(path, "file", "the attestation file does not exist");
        return Parse(File.ReadAllText(path), path, today);
    }

    public static IReadOnlyList<ReviewAttestation> Parse(string json, string source, DateOnly today)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new MstgInputException(source, $"line {(e.LineNumber ?? 0) + 1}", $"not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            List<JsonElement> items = root.ValueKind switch
            {
                JsonValueKind.Object => [root],
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                _ => throw new MstgInputException(source, "top level", $"expected an attestation object or an array of them, found {root.ValueKind}"),
            };
            if (items.Count == 0) throw new MstgInputException(source, "top level", "the array holds no attestation");
            return items.Select((item, i) => Read(item, source, items.Count == 1 ? "attestation" : $"attestation {i + 1}", today)).ToList();
        }
    }

    private static ReviewAttestation Read(JsonElement item, string source, string where, DateOnly today)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new MstgInputException(source, where, $"expected an object, found {item.ValueKind}");
        foreach (var p in item.EnumerateObject().Where(p => !Known.Contains(p.Name, StringComparer.Ordinal)))
            throw new MstgInputException(source, $"{where}, field \"{p.Name}\"", $"unknown field; the fields are {string.Join(", ", Known)}");

        var requirement = OptionalText(item, "requirement", source, where) ?? Network5;
        if (requirement != Network5)
            throw new MstgInputException(source, $"{where}, field \"requirement\"", $"only {Network5} takes an attestation, not '{requirement}'");
        var app = RequiredText(item, "app", source, where);
        var reviewer = RequiredText(item, "reviewer", source, where);
        var date = Day(item, "date", source, where) ?? throw Missing("date", source, where);
        if (date > today) throw new MstgInputException(source, $"{where}, field \"date\"", $"{date:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd})");
        var expires = Day(item, "expires", source, where);
        if (expires is { } e && e <= date)
            throw new MstgInputException(source, $"{where}, field \"expires\"", $"{e:yyyy-MM-dd} is not after the review date {date:yyyy-MM-dd}");

        if (!item.TryGetProperty("flows", out var flowsNode)) throw Missing("flows", source, where);
        if (flowsNode.ValueKind != JsonValueKind.Array)
            throw new MstgInputException(source, $"{where}, field \"flows\"", "expected an array of strings, one per flow reviewed with its conclusion");
        var flows = new List<string>();
        var n = 0;
        foreach (var flow in flowsNode.EnumerateArray())
        {
            n++;
            if (flow.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(flow.GetString()))
                throw new MstgInputException(source, $"{where}, field \"flows\", item {n}", "expected a non-empty string naming a flow and its conclusion");
            flows.Add(flow.GetString()!.Trim());
        }
        if (flows.Count == 0)
            throw new MstgInputException(source, $"{where}, field \"flows\"", "no flow listed: an attestation must say which flows were reviewed");

        return new ReviewAttestation(requirement, app, reviewer, date, expires, flows, OptionalText(item, "notes", source, where), source);
    }

    private static MstgInputException Missing(string field, string source, string where) =>
        new(source, $"{where}, field \"{field}\"", "required field missing");

    private static string RequiredText(JsonElement item, string field, string source, string where) =>
        OptionalText(item, field, source, where) ?? throw Missing(field, source, where);

    private static string? OptionalText(JsonElement item, string field, string source, string where)
    {
        if (!item.TryGetProperty(field, out var node)) return null;
        if (node.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetString()))
            throw new MstgInputException(source, $"{where}, field \"{field}\"", $"expected a non-empty string, found {node.ValueKind}");
        return node.GetString()!.Trim();
    }

    private static DateOnly? Day(JsonElement item, string field, string source, string where)
    {
        if (!item.TryGetProperty(field, out var node)) return null;
        if (node.ValueKind == JsonValueKind.String &&
            DateOnly.TryParseExact(node.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        throw new MstgInputException(source, $"{where}, field \"{field}\"", $"expected a date written yyyy-MM-dd, found {node}");
    }
}
