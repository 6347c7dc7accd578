using System.Text;

namespace Mstg.Analysis.Reporting;

/// <summary>
/// Makes text from the scanned app safe to print on a terminal or in a CI log. Plist keys and values, file names and
/// strings are chosen by whoever built the app: raw ESC sequences could clear the screen, CR or LF could start a
/// fake <c>PASS</c> line, bidi overrides could reorder what is shown. Every C0 control (tabs and line breaks
/// included), DEL, every C1 control, the Unicode line and paragraph separators and the bidi embedding, override and isolate characters are written as visible
/// escapes (<c>\x1b</c>, <c>\u202e</c>); everything else is unchanged.
/// </summary>
public static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0) return text;
        var b = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c)) b.Append(c);
            else if (c <= '\u00FF') b.Append("\\x").Append(((int)c).ToString("x2"));
            else b.Append("\\u").Append(((int)c).ToString("x4"));
        }
        return b.ToString();
    }

    public static bool IsUnsafe(char c) =>
        c < '\u0020' || c is >= '\u007F' and <= '\u009F' || c is >= '\u2028' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Concat(Enumerable.Range(0x2028, 7)).Concat(Enumerable.Range(0x2066, 4))
            .Select(i => (char)i).ToArray());
}
