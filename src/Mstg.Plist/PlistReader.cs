using Mstg.Plist.Binary;
using Mstg.Plist.OpenStep;
using Mstg.Plist.Xml;

namespace Mstg.Plist;

/// <summary>
/// Reads a property list in any of Apple's three formats (binary <c>bplist00</c>, XML, OpenStep text) into the typed
/// tree. Every problem with the input surfaces as a <see cref="PlistFormatException"/> naming the source, the place
/// and what was wrong.
/// </summary>
public static class PlistReader
{
    public static PlistDocument ReadFile(string path, PlistReaderOptions? options = null)
    {
        options ??= PlistReaderOptions.Default;
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlistFormatException(path, PlistPosition.Unknown, $"cannot open file: {e.Message}", e);
        }
        using (stream)
            return Read(stream, path, options);
    }

    public static PlistDocument Read(Stream stream, string source, PlistReaderOptions? options = null)
    {
        options ??= PlistReaderOptions.Default;
        return Read(ReadBounded(stream, source, options.MaxInputBytes), source, options);
    }

    public static PlistDocument Read(ReadOnlyMemory<byte> bytes, string source, PlistReaderOptions? options = null)
    {
        options ??= PlistReaderOptions.Default;
        if (bytes.Length > options.MaxInputBytes)
            throw new PlistFormatException(source, PlistPosition.AtByte(0),
                $"input is {bytes.Length} bytes, more than the limit of {options.MaxInputBytes}");
        if (bytes.Length == 0)
            throw new PlistFormatException(source, PlistPosition.AtByte(0), "input is empty");

        return DetectFormat(bytes.Span) switch
        {
            PlistFormat.Binary => new PlistDocument(BinaryPlistParser.Parse(bytes, source, options), PlistFormat.Binary, source),
            PlistFormat.Xml => new PlistDocument(XmlPlistParser.Parse(bytes, source, options), PlistFormat.Xml, source),
            _ => new PlistDocument(OpenStepParser.Parse(bytes, source, options), PlistFormat.OpenStep, source),
        };
    }

    /// <summary>
    /// Picks the format from the first bytes: the <c>bplist</c> magic means binary; a <c>&lt;</c> after any BOM and
    /// whitespace means XML, unless what follows is <c>&lt;hex digits&gt;</c>, which is an OpenStep data literal;
    /// anything else is OpenStep text.
    /// </summary>
    public static PlistFormat DetectFormat(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("bplist"u8)) return PlistFormat.Binary;

        // Only the first few hundred characters matter; decode them leniently in whichever encoding the BOM (or
        // the zero byte of an ASCII character in UTF-16) suggests.
        var head = bytes[..Math.Min(bytes.Length, 1024)];
        System.Text.Encoding encoding =
            head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || (head.Length >= 2 && head[0] == 0 && head[1] != 0)
                ? System.Text.Encoding.BigEndianUnicode
            : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || (head.Length >= 2 && head[0] != 0 && head[1] == 0)
                ? System.Text.Encoding.Unicode
            : System.Text.Encoding.UTF8;
        string text = encoding.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (!text.StartsWith('<')) return PlistFormat.OpenStep;

        // An XML name never starts with a digit or whitespace, so those mean OpenStep data; a hex letter could be
        // either (<dict>, <data>), so look at everything up to the '>'.
        if (text.Length > 1 && (char.IsAsciiDigit(text[1]) || char.IsWhiteSpace(text[1]))) return PlistFormat.OpenStep;
        for (int j = 1; j < text.Length; j++)
        {
            char c = text[j];
            if (c == '>') return PlistFormat.OpenStep;
            if (!(char.IsAsciiHexDigit(c) || char.IsWhiteSpace(c))) return PlistFormat.Xml;
        }
        return PlistFormat.Xml;
    }

    private static byte[] ReadBounded(Stream stream, string source, long limit)
    {
        try
        {
            if (stream.CanSeek && stream.Length - stream.Position > limit)
                throw new PlistFormatException(source, PlistPosition.AtByte(0),
                    $"input is {stream.Length - stream.Position} bytes, more than the limit of {limit}");

            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > limit)
                    throw new PlistFormatException(source, PlistPosition.AtByte(buffer.Length),
                        $"input is more than the limit of {limit} bytes");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (IOException e)
        {
            throw new PlistFormatException(source, PlistPosition.Unknown, $"cannot read input: {e.Message}", e);
        }
    }
}
