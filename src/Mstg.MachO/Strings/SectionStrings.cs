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

    /// <summary>Appends the printable strings of one section; returns false once <paramref name="maxStrings"/> is reached.</summary>
    public static bool Extract(ReadOnlySpan<byte> data, MachOSection section, MachOReadOptions options, List<MachOString> into)
    {
        // One name string per section, shared by all its strings: a large binary has hundreds of thousands of them.
        var sectionName = section.FullName;
        return section.Name == Utf16Section ? ExtractUtf16(data, sectionName, options, into) : ExtractUtf8(data, sectionName, options, into);
    }

    private static bool ExtractUtf8(ReadOnlySpan<byte> data, string section, MachOReadOptions options, List<MachOString> into)
    {
        var start = 0;
        while (start < data.Length)
        {
            var nul = data[start..].IndexOf((byte)0);
            var end = nul < 0 ? data.Length : start + nul;
            var piece = data[start..end];
            // Byte length bounds the character count from above, so short pieces are dropped before decoding.
            if (piece.Length >= options.MinStringLength && Utf8.IsValid(piece))
            {
                var text = Encoding.UTF8.GetString(piece);
                if (!Keep(text, section, (ulong)start, options, into)) return false;
            }
            start = end + 1;
        }
        return true;
    }

    private static bool ExtractUtf16(ReadOnlySpan<byte> data, string section, MachOReadOptions options, List<MachOString> into)
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
                if (!HasLoneSurrogate(text) && !Keep(text, section, (ulong)(2 * start), options, into)) return false;
            }
            start = i + 1;
        }
        return true;
    }

    private static bool Keep(string text, string section, ulong offset, MachOReadOptions options, List<MachOString> into)
    {
        if (text.Length < options.MinStringLength || !IsPrintable(text)) return true;
        if (into.Count >= options.MaxStrings) return false;
        if (text.Length > options.MaxStringLength) text = text[..options.MaxStringLength];
        into.Add(new MachOString(text, section, offset));
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
