using System.Globalization;
using System.Text;

namespace Mstg.Allure.Writing;

/// <summary>
/// Writes environment.properties in Java properties syntax, which Allure parses with java.util.Properties.
/// Keys and values escape backslash, ':' '=' '#' '!' and line breaks; keys also escape spaces (a space ends a key).
/// Non-ASCII is written as \uXXXX because older readers assume ISO-8859-1.
/// </summary>
public static class JavaProperties
{
    public static string Format(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in entries)
            sb.Append(Escape(key, isKey: true)).Append('=').Append(Escape(value, isKey: false)).Append('\n');
        return sb.ToString();
    }

    public static string Escape(string text, bool isKey)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case ':': sb.Append(@"\:"); break;
                case '=': sb.Append(@"\="); break;
                case '#': sb.Append(@"\#"); break;
                case '!': sb.Append(@"\!"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\f': sb.Append(@"\f"); break;
                // A leading space of a value would be eaten by the parser; inside a key any space ends the key.
                case ' ' when isKey || i == 0: sb.Append(@"\ "); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}

/// <summary>
/// Reads environment.properties (java.util.Properties syntax: <c>key=value</c>, <c>key: value</c>, comments with # or !,
/// backslash escapes and <c>\uXXXX</c>, continuation lines ending in a backslash) and the older environment.xml
/// (<c>&lt;environment&gt;&lt;parameter&gt;&lt;key/&gt;&lt;value/&gt;</c>), so several runs' panels can be merged.
/// </summary>
public static class EnvironmentFiles
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string resultsDirectory)
    {
        var entries = new List<KeyValuePair<string, string>>();
        var properties = Path.Combine(resultsDirectory, "environment.properties");
        if (File.Exists(properties)) entries.AddRange(ParseProperties(File.ReadAllText(properties)));
        var xml = Path.Combine(resultsDirectory, "environment.xml");
        if (File.Exists(xml))
        {
            try
            {
                entries.AddRange(System.Xml.Linq.XDocument.Load(xml).Descendants("parameter")
                    .Select(p => new KeyValuePair<string, string>((string?)p.Element("key") ?? "", (string?)p.Element("value") ?? ""))
                    .Where(e => e.Key.Length > 0));
            }
            catch (System.Xml.XmlException e)
            {
                throw new MstgInputException(xml, $"line {e.LineNumber}", $"environment.xml is not well-formed XML: {e.Message}");
            }
        }
        return entries;
    }

    public static IEnumerable<KeyValuePair<string, string>> ParseProperties(string text)
    {
        var logical = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimStart();
            if (logical.Length == 0 && (line.Length == 0 || line[0] is '#' or '!')) continue;
            // An odd number of trailing backslashes continues the line.
            var trailing = line.Length - line.TrimEnd('\\').Length;
            if (trailing % 2 == 1)
            {
                logical.Append(line, 0, line.Length - 1);
                continue;
            }
            logical.Append(line);
            if (Split(logical.ToString()) is { } entry) yield return entry;
            logical.Clear();
        }
        if (logical.Length > 0 && Split(logical.ToString()) is { } last) yield return last;
    }

    private static KeyValuePair<string, string>? Split(string line)
    {
        var key = new StringBuilder();
        var i = 0;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length) { i = Unescape(line, i, key); continue; }
            if (c is '=' or ':' or ' ' or '\t' or '\f') break;
            key.Append(c);
        }
        // The separator: blanks, then at most one '=' or ':', then blanks.
        while (i < line.Length && line[i] is ' ' or '\t' or '\f') i++;
        if (i < line.Length && line[i] is '=' or ':') i++;
        while (i < line.Length && line[i] is ' ' or '\t' or '\f') i++;
        var value = new StringBuilder();
        for (; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length) { i = Unescape(line, i, value); continue; }
            value.Append(line[i]);
        }
        return key.Length == 0 ? null : new KeyValuePair<string, string>(key.ToString(), value.ToString());
    }

    /// <summary>Appends the character escaped at <paramref name="i"/> (a backslash) and returns the index of its last character.</summary>
    private static int Unescape(string line, int i, StringBuilder into)
    {
        var c = line[i + 1];
        switch (c)
        {
            case 'n': into.Append('\n'); return i + 1;
            case 'r': into.Append('\r'); return i + 1;
            case 't': into.Append('\t'); return i + 1;
            case 'f': into.Append('\f'); return i + 1;
            case 'u' when i + 5 < line.Length && int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                into.Append((char)code); return i + 5;
            default: into.Append(c); return i + 1;
        }
    }
}
