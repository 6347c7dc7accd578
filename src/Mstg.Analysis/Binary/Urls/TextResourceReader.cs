using System.Text;
using Mstg.Bundles;

namespace Mstg.Analysis.Binary.Urls;

/// <summary>
/// Reads the text-like resource files of a bundle (configuration, web content, strings tables) for URL scanning.
/// Each file is read as a stream up to <see cref="MaxBytes"/>; the rest of a larger file is not examined and the
/// finding says so.
/// </summary>
public static class TextResourceReader
{
    /// <summary>Resource types that commonly hold endpoint URLs. Binary plists are included: their ASCII strings are stored raw.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".plist", ".json", ".js", ".html", ".htm", ".strings", ".xml", ".txt", ".config", ".conf", ".cfg", ".yaml", ".yml",
        ".xcconfig", ".properties", ".ini", ".css", ".svg",
    };

    public const int MaxBytes = 4 << 20;

    public static bool IsTextResource(BundleFile file) => !file.IsSymlink && Extensions.Contains(file.Extension);

    /// <summary>Reads the start of <paramref name="file"/> as text. UTF-16 (common for .strings) is detected by its BOM; everything else is read byte-per-char, which keeps ASCII URLs intact in UTF-8 and binary plists alike.</summary>
    public static (string Text, bool Truncated) Read(IBundleSource source, BundleFile file)
    {
        using var stream = source.Open(file);
        var buffer = new byte[(int)Math.Min(MaxBytes, Math.Max(0, file.Size)) + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
        var truncated = total > MaxBytes;
        total = Math.Min(total, MaxBytes);
        var span = buffer.AsSpan(0, total);
        string text;
        if (span.Length >= 2 && span[0] == 0xFF && span[1] == 0xFE) text = Encoding.Unicode.GetString(span[2..]);
        else if (span.Length >= 2 && span[0] == 0xFE && span[1] == 0xFF) text = Encoding.BigEndianUnicode.GetString(span[2..]);
        else text = Encoding.Latin1.GetString(span);
        return (text, truncated);
    }
}
