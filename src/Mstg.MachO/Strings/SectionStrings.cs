using System.Text;
using System.Text.Unicode;
using Mstg.MachO.Format;

namespace Mstg.MachO.Strings;

/// <summary>
/// Picks the sections that hold string literals and splits them into printable strings.
/// Chosen sections: every section of type S_CSTRING_LITERALS (that covers <c>__TEXT,__cstring</c>,
/// <c>__objc_methname</c>, <c>__objc_classname</c>, <c>__objc_methtype</c>, <c>__oslogstring</c> and
/// <c>__cstring</c> in other segments) plus, by name, the ObjC name sections and <c>__swift5_reflstr</c>
/// whatever their type, and <c>__ustring</c> (UTF-16LE, as CFSTR writes non-ASCII literals).
/// </summary>
internal static class SectionStrings
{
    private static readonly HashSet<string> NamedCStringSections =
        new(StringComparer.Ordinal) { "__cstring", "__objc_methname", "__objc_classname", "__swift5_reflstr" };

    public const string Utf16Section = "__ustring";

    public static bool IsStringSection(SectionEntry entry) =>
        entry.HasFileData && entry.Section.FileOffset != 0 &&
        (entry.Type == SectionEntry.CStringLiterals || NamedCStringSections.Contains(entry.Section.Name) || entry.Section.Name == Utf16Section);

    /// <summary>Adds the printable strings of one section to <paramref name="into"/>; returns false once the table is full.</summary>
    public static bool Extract(ReadOnlyMemory<byte> data, MachOSection section, MachOReadOptions options, MachOStringTable.Builder into)
    {
        // One name string per section, shared by all its strings: a large binary has millions of them.
        var sectionName = section.FullName;
        if (section.Name == Utf16Section) return ExtractUtf16(data.Span, sectionName, options, into);
        into.BeginSection(sectionName, data);
        return ExtractUtf8(data.Span, options, into);
    }

    /// <summary>
    /// UTF-8 strings stay where they are: the table records offset and length. Plain printable ASCII, nearly every
    /// string of a real binary, is recognised on the bytes without decoding.
    /// </summary>
    private static bool ExtractUtf8(ReadOnlySpan<byte> data, MachOReadOptions options, MachOStringTable.Builder into)
    {
        var start = 0;
        while (start < data.Length)
        {
            var nul = data[start..].IndexOf((byte)0);
            var end = nul < 0 ? data.Length : start + nul;
            var piece = data[start..end];
            // Byte length bounds the character count from above, so short pieces are dropped before any check.
            if (piece.Length >= options.MinStringLength && KeptLength(piece, options) is { } length)
            {
                if (!into.Add(start, length)) return false;
                if (length < piece.Length) into.Cut++;
            }
            start = end + 1;
        }
        return true;
    }

    /// <summary>How many bytes of <paramref name="piece"/> to keep (cut to <see cref="MachOReadOptions.MaxStringLength"/> characters), or null to drop it.</summary>
    private static int? KeptLength(ReadOnlySpan<byte> piece, MachOReadOptions options)
    {
        if (IsPrintableAscii(piece)) return Math.Min(piece.Length, options.MaxStringLength);
        if (!Utf8.IsValid(piece)) return null;
        var text = Encoding.UTF8.GetString(piece);
        if (text.Length < options.MinStringLength || !IsPrintable(text)) return null;
        if (text.Length <= options.MaxStringLength) return piece.Length;
        var cut = options.MaxStringLength;
        if (char.IsHighSurrogate(text[cut - 1])) cut--; // never keep half a pair
        return Encoding.UTF8.GetByteCount(text.AsSpan(0, cut));
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> piece)
    {
        foreach (var b in piece)
            if (b is < 0x20 or >= 0x7F && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n'))
                return false;
        return true;
    }

    /// <summary>UTF-16 strings are few (non-ASCII CFSTR literals); they are transcoded to UTF-8 and stored apart.</summary>
    private static bool ExtractUtf16(ReadOnlySpan<byte> data, string section, MachOReadOptions options, MachOStringTable.Builder into)
    {
        var units = data.Length / 2;
        var start = 0;
        for (var i = 0; i <= units; i++)
        {
            var atEnd = i == units;
            if (!atEnd && (data[2 * i] != 0 || data[2 * i + 1] != 0)) continue;
            var piece = data.Slice(2 * start, 2 * (i - start));
            if (i - start >= options.MinStringLength)
            {
                var text = Encoding.Unicode.GetString(piece);
                if (!HasLoneSurrogate(text) && text.Length >= options.MinStringLength && IsPrintable(text))
                {
                    var cut = text.Length > options.MaxStringLength;
                    if (cut) text = text[..(char.IsHighSurrogate(text[options.MaxStringLength - 1]) ? options.MaxStringLength - 1 : options.MaxStringLength)];
                    if (!into.AddOwned(section, Encoding.UTF8.GetBytes(text), 2 * start)) return false;
                    if (cut) into.Cut++;
                }
            }
            start = i + 1;
        }
        return true;
    }

    /// <summary>Text, not binary: no control characters besides tab, CR and LF.</summary>
    private static bool IsPrintable(string text)
    {
        foreach (var c in text)
            if ((char.IsControl(c) && c is not ('\t' or '\r' or '\n')) || c == '\uFFFD')
                return false;
        return true;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}
