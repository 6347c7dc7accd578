using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mstg.Devices.Scenarios;

/// <summary>
/// Reads a scenario file (JSON, schema in docs/scenario.schema.json). Forward-only over <see cref="Utf8JsonReader"/> so
/// every step keeps the line it starts on; any problem is a <see cref="ScenarioFormatException"/> naming file and line.
/// Comments and trailing commas are allowed, since people write these files by hand.
/// </summary>
public static class ScenarioParser
{
    /// <summary>Scenario files are small; a larger file is refused rather than read.</summary>
    public const int MaxBytes = 1 << 20;
    public const int MaxSteps = 500;
    private static readonly TimeSpan DefaultWaitFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    private static readonly Dictionary<string, StepAction> Actions = new(StringComparer.Ordinal)
    {
        ["launch"] = StepAction.Launch, ["terminate"] = StepAction.Terminate, ["tap"] = StepAction.Tap, ["type"] = StepAction.Type,
        ["waitFor"] = StepAction.WaitFor, ["wait"] = StepAction.Wait, ["openUrl"] = StepAction.OpenUrl,
    };

    private static readonly Dictionary<string, LocatorKind> Locators = new(StringComparer.Ordinal)
    {
        ["accessibilityId"] = LocatorKind.AccessibilityId, ["predicate"] = LocatorKind.Predicate, ["classChain"] = LocatorKind.ClassChain,
        ["xpath"] = LocatorKind.XPath, ["css"] = LocatorKind.Css, ["id"] = LocatorKind.Id,
    };

    /// <summary>The action and locator names a step may use; docs/scenario.schema.json lists the same (a test checks).</summary>
    public static IReadOnlyCollection<string> ActionNames => Actions.Keys;
    public static IReadOnlyCollection<string> LocatorNames => Locators.Keys;

    private static readonly HashSet<string> OtherStepFields = ["action", "text", "url", "timeoutSeconds", "seconds", "comment"];

    public static Scenario Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ScenarioFormatException(path, 0, "the scenario file does not exist");
        if (info.Length > MaxBytes) throw new ScenarioFormatException(path, 0, $"the file is {info.Length} bytes; scenarios are limited to {MaxBytes}");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static Scenario Parse(string json, string file) => Parse(Encoding.UTF8.GetBytes(json), file);

    public static Scenario Parse(byte[] utf8, string file)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 });
        string? name = null;
        List<ScenarioStep>? steps = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new ScenarioFormatException(file, LineOf(utf8, reader.TokenStartIndex), "a scenario is a JSON object with \"name\" and \"steps\"");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString()!;
                var line = LineOf(utf8, reader.TokenStartIndex);
                reader.Read();
                switch (property)
                {
                    case "name":
                        if (reader.TokenType != JsonTokenType.String) throw new ScenarioFormatException(file, line, "\"name\" must be a string");
                        name = reader.GetString();
                        break;
                    case "steps":
                        if (reader.TokenType != JsonTokenType.StartArray) throw new ScenarioFormatException(file, line, "\"steps\" must be an array");
                        steps = ReadSteps(ref reader, utf8, file);
                        break;
                    case "$schema" or "description":
                        reader.Skip();
                        break;
                    default:
                        throw new ScenarioFormatException(file, line, $"unknown property \"{property}\" (expected name, steps, description, $schema)");
                }
            }
        }
        catch (JsonException e)
        {
            throw new ScenarioFormatException(file, (int)(e.LineNumber ?? 0) + 1, "not valid JSON: " + e.Message, e);
        }
        if (steps is null) throw new ScenarioFormatException(file, 1, "the scenario has no \"steps\"");
        if (steps.Count == 0) throw new ScenarioFormatException(file, 1, "\"steps\" is empty");
        return new Scenario(name ?? Path.GetFileNameWithoutExtension(file), steps, file);
    }

    private static List<ScenarioStep> ReadSteps(ref Utf8JsonReader reader, byte[] utf8, string file)
    {
        var steps = new List<ScenarioStep>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var line = LineOf(utf8, reader.TokenStartIndex);
            if (reader.TokenType != JsonTokenType.StartObject) throw new ScenarioFormatException(file, line, "each step is an object with an \"action\"");
            if (steps.Count == MaxSteps) throw new ScenarioFormatException(file, line, $"more than {MaxSteps} steps");
            using var step = JsonDocument.ParseValue(ref reader);
            steps.Add(ReadStep(step.RootElement, line, file));
        }
        return steps;
    }

    private static ScenarioStep ReadStep(JsonElement step, int line, string file)
    {
        foreach (var p in step.EnumerateObject())
            if (!OtherStepFields.Contains(p.Name) && !Locators.ContainsKey(p.Name))
                throw new ScenarioFormatException(file, line, $"unknown step field \"{p.Name}\"");
        var actionName = String(step, "action", line, file) ?? throw new ScenarioFormatException(file, line, "the step has no \"action\"");
        if (!Actions.TryGetValue(actionName, out var action))
            throw new ScenarioFormatException(file, line, $"unknown action \"{actionName}\" (expected {string.Join(", ", Actions.Keys)})");

        var locators = step.EnumerateObject().Where(p => Locators.ContainsKey(p.Name)).ToList();
        var needsTarget = action is StepAction.Tap or StepAction.Type or StepAction.WaitFor;
        if (needsTarget && locators.Count != 1)
            throw new ScenarioFormatException(file, line, $"\"{actionName}\" needs exactly one of {string.Join(", ", Locators.Keys)}; found {locators.Count}");
        if (!needsTarget && locators.Count > 0)
            throw new ScenarioFormatException(file, line, $"\"{actionName}\" takes no element locator (found \"{locators[0].Name}\")");
        Locator? target = null;
        if (needsTarget)
        {
            var value = String(step, locators[0].Name, line, file);
            if (string.IsNullOrEmpty(value)) throw new ScenarioFormatException(file, line, $"\"{locators[0].Name}\" is empty");
            target = new Locator(Locators[locators[0].Name], value);
        }

        var text = String(step, "text", line, file);
        if (action == StepAction.Type && text is null) throw new ScenarioFormatException(file, line, "\"type\" needs \"text\"");
        var url = String(step, "url", line, file);
        if (action == StepAction.OpenUrl && !Uri.TryCreate(url, UriKind.Absolute, out _))
            throw new ScenarioFormatException(file, line, "\"openUrl\" needs an absolute \"url\" (a web address or a deep link such as bank://home)");

        TimeSpan? timeout = action switch
        {
            StepAction.Wait => Seconds(step, "seconds", line, file) ?? throw new ScenarioFormatException(file, line, "\"wait\" needs \"seconds\""),
            StepAction.WaitFor => Seconds(step, "timeoutSeconds", line, file) ?? DefaultWaitFor,
            _ => Seconds(step, "timeoutSeconds", line, file),
        };
        return new ScenarioStep(action, line, target, text, url, timeout);
    }

    private static string? String(JsonElement step, string name, int line, string file)
    {
        if (!step.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw new ScenarioFormatException(file, line, $"\"{name}\" must be a string");
        return value.GetString();
    }

    private static TimeSpan? Seconds(JsonElement step, string name, int line, string file)
    {
        if (!step.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds < 0 || seconds > MaxTimeout.TotalSeconds)
            throw new ScenarioFormatException(file, line, $"\"{name}\" must be a number of seconds between 0 and {MaxTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        return TimeSpan.FromSeconds(seconds);
    }

    private static int LineOf(byte[] utf8, long offset)
    {
        var line = 1;
        for (var i = 0; i < offset && i < utf8.Length; i++)
            if (utf8[i] == (byte)'\n') line++;
        return line;
    }
}
