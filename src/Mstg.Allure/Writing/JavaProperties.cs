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
