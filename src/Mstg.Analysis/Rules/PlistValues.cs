using System.Text.RegularExpressions;
using Mstg.Plist;

namespace Mstg.Analysis.Rules;

/// <summary>How a value written where a Boolean belongs was read.</summary>
/// <param name="Value">The value used for the verdict.</param>
/// <param name="WellTyped">True for <c>&lt;true/&gt;</c> / <c>&lt;false/&gt;</c>.</param>
/// <param name="Readable">False when the node is of a type nothing reads as a Boolean (date, data, array, dict); the key's default is used.</param>
public readonly record struct BoolReading(bool Value, bool WellTyped, bool Readable);

/// <summary>
/// Reading rules for loosely typed plist values, shared by the ATS and pinning readers.
/// </summary>
/// <remarks>
/// Booleans: two readings exist. ATS keys follow Apple's own reader (<see cref="ReadAtsBool"/>: only numbers count,
/// strings are ignored). TrustKit's keys are read by Objective-C code with <c>-boolValue</c> (<see cref="ReadBool"/>),
/// which accepts an NSNumber (non-zero is YES) and an NSString (YES when the first character after blanks, a sign
/// and leading zeros is Y, y, T, t or 1-9). Both fix MobSF's bug where the string "NO" is truthy (Python truthiness
/// of a non-empty string).
/// </remarks>
public static partial class PlistValues
{
    public static BoolReading ReadBool(PlistNode node, bool defaultValue) => node switch
    {
        PlistBoolean b => new(b.Value, true, true),
        PlistInteger i => new(!i.Value.IsZero, false, true),
        PlistReal r => new(r.Value != 0 && !double.IsNaN(r.Value), false, true),
        PlistString s => new(StringBoolValue(s.Value), false, true),
        _ => new(defaultValue, false, false),
    };

    /// <summary>
    /// How Apple's ATS reader reads a Boolean key (Security, SecProtocolConfiguration.m,
    /// <c>sec_protocol_configuration_set_ats_overrides</c>, macros <c>ATS_VALUE_FOR_KEY</c> and <c>BOOLEAN_FOR_KEY</c>):
    /// only an NSNumber is read, as YES when it equals <c>@YES</c> (<c>&lt;true/&gt;</c>, the integer 1 or the real 1.0);
    /// any other number is NO. A string, date, data, array or dictionary is ignored with a logged error and the key keeps
    /// its default, as if it were absent (<see cref="BoolReading.Readable"/> is false).
    /// </summary>
    public static BoolReading ReadAtsBool(PlistNode node, bool defaultValue) => node switch
    {
        PlistBoolean b => new(b.Value, true, true),
        PlistInteger i => new(i.Value.IsOne, false, true),
        PlistReal r => new(r.Value == 1.0, false, true),
        _ => new(defaultValue, false, false),
    };

    /// <summary>NSString -boolValue.</summary>
    public static bool StringBoolValue(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
        while (i < text.Length && text[i] == '0') i++;
        if (i >= text.Length) return false;
        var c = text[i];
        return c is 'Y' or 'y' or 'T' or 't' || (c >= '1' && c <= '9');
    }

    /// <summary>A build setting reference Xcode would have substituted: <c>$(X)</c>, <c>${X}</c>, <c>$(X:rfc1034identifier)</c>.</summary>
    public static bool HasBuildVariable(string text) => BuildVariable().IsMatch(text);

    [GeneratedRegex(@"\$\([A-Za-z_][A-Za-z0-9_]*(:[^)]*)?\)|\$\{[A-Za-z_][A-Za-z0-9_]*(:[^}]*)?\}")]
    private static partial Regex BuildVariable();

    /// <summary>The value as a reviewer would write it in evidence: <c>true</c>, <c>"TLSv1.0"</c>, <c>1</c>, <c>&lt;dict&gt;</c>.</summary>
    public static string Show(PlistNode node) => node switch
    {
        PlistString s => $"\"{Truncate(s.Value)}\"",
        PlistBoolean or PlistInteger or PlistReal => node.ToString()!,
        PlistDate d => d.ToString(),
        PlistDict d => d.Count == 0 ? "<dict/> (empty)" : $"<dict> ({d.Count} keys)",
        PlistArray a => $"<{a.TypeName}> ({a.Count} items)",
        _ => $"<{node.TypeName}>",
    };

    public static string Evidence(string key, PlistNode node) => $"{key} = {Show(node)}";

    public static string Describe(PlistNode node) => node switch
    {
        PlistString => $"the string {Show(node)}",
        PlistInteger or PlistReal => $"the number {Show(node)}",
        _ => $"a <{node.TypeName}>",
    };

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
