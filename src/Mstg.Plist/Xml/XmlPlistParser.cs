using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Mstg.Plist.Xml;

/// <summary>
/// Reads Apple's XML plist format (<c>&lt;plist&gt;&lt;dict&gt;&lt;key&gt;…</c>) with <see cref="XmlReader"/>, walking
/// the elements by hand so every node keeps its line and column and every deviation gets a precise message.
/// </summary>
/// <remarks>
/// DTD handling: Apple's DOCTYPE (old "Apple Computer" or new "Apple" public id) names an external DTD that must
/// not be fetched, and a hostile file can declare entities in an internal subset (billion laughs, XXE). The reader
/// therefore runs with <see cref="DtdProcessing.Parse"/> only so that the DOCTYPE node is reported to us, with no
/// <see cref="XmlResolver"/> (nothing external is ever opened), and we refuse any document whose DOCTYPE carries an
/// internal subset before a single entity reference is read. <see cref="DtdProcessing.Ignore"/> would hide the
/// DOCTYPE from us, and <see cref="DtdProcessing.Prohibit"/> rejects Apple's own header.
/// </remarks>
internal sealed partial class XmlPlistParser
{
    private readonly XmlReader _reader;
    private readonly IXmlLineInfo _lineInfo;
    private readonly string _source;
    private readonly PlistReaderOptions _options;
    // Lines and columns removed by skipping leading whitespace, added back so positions match the original file.
    private readonly int _skippedLines;
    private readonly int _skippedColumns;

    private XmlPlistParser(XmlReader reader, string source, PlistReaderOptions options, int skippedLines, int skippedColumns)
    {
        _reader = reader;
        _lineInfo = (IXmlLineInfo)reader;
        _source = source;
        _options = options;
        _skippedLines = skippedLines;
        _skippedColumns = skippedColumns;
    }

    public static PlistNode Parse(ReadOnlyMemory<byte> bytes, string source, PlistReaderOptions options)
    {
        // XmlReader insists the XML declaration is the very first thing; real files (guardian/coverdrop) have
        // whitespace before it, which CoreFoundation accepts. Skip a UTF-8 BOM and ASCII whitespace ourselves.
        var span = bytes.Span;
        int start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        int lines = 0, columns = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            if (span[start] == '\n' || (span[start] == '\r' && (start + 1 >= span.Length || span[start + 1] != '\n')))
            {
                lines++;
                columns = 0;
            }
            else if (span[start] != '\r')
            {
                columns++;
            }
            start++;
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            // Second line of defence: even parameter entities inside a refused subset cannot grow past this.
            MaxCharactersFromEntities = 4096,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
            ValidationType = ValidationType.None,
            CloseInput = true,
        };

        var stream = new MemoryStream(bytes[start..].ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        return new XmlPlistParser(reader, source, options, lines, columns).ParseDocument();
    }

    private PlistNode ParseDocument()
    {
        try
        {
            PlistNode? root = null;
            while (root is null)
            {
                if (!_reader.Read()) throw Error(Here(), "document has no root element");
                switch (_reader.NodeType)
                {
                    case XmlNodeType.DocumentType:
                        RefuseInternalSubset();
                        break;
                    case XmlNodeType.Element:
                        root = _reader.Name == "plist" ? ParsePlistElement() : ParseValue(0);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        throw Error(TextPosition(), $"text {Quote(_reader.Value)} outside any element");
                }
            }

            // Let XmlReader check the rest is well formed (only comments and whitespace may follow the root).
            while (_reader.Read()) { }
            return root;
        }
        catch (XmlException e)
        {
            throw new PlistFormatException(_source, Position(e.LineNumber, e.LinePosition),
                $"not well-formed XML: {StripLineInfo(e.Message)}", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new PlistFormatException(_source, Here(), $"text is not valid in its declared encoding: {e.Message}", e);
        }
    }

    private void RefuseInternalSubset()
    {
        string subset = _reader.Value;
        if (string.IsNullOrWhiteSpace(subset)) return;
        string problem = subset.Contains("<!ENTITY", StringComparison.Ordinal)
            ? "DOCTYPE declares entities; entity declarations are refused and never expanded (possible XXE or entity-expansion attack)"
            : "DOCTYPE has an internal subset; plists never carry one and it is refused";
        throw Error(Here(), problem);
    }

    private PlistNode ParsePlistElement()
    {
        var position = ElementPosition();
        if (_reader.IsEmptyElement) throw Error(position, "<plist> holds no value");
        PlistNode? value = null;
        while (NextSignificant("plist") == XmlNodeType.Element)
        {
            if (value is not null) throw Error(ElementPosition(), $"<plist> holds more than one value (second one is <{_reader.Name}>)");
            value = ParseValue(0);
        }
        return value ?? throw Error(position, "<plist> holds no value");
    }

    /// <summary>Reads the value whose start tag the reader is on; leaves the reader on its end tag.</summary>
    private PlistNode ParseValue(int depth)
    {
        var position = ElementPosition();
        if (depth >= _options.MaxDepth)
            throw Error(position, $"nesting deeper than the limit of {_options.MaxDepth}");

        string name = _reader.Name;
        return name switch
        {
            "dict" => ParseDict(position, depth),
            "array" => ParseArray(position, depth),
            "string" => new PlistString(ReadText(name), position),
            "integer" => new PlistInteger(ParseInteger(ReadText(name).Trim(), position), position),
            "real" => new PlistReal(ParseReal(ReadText(name).Trim(), position), position),
            "true" or "false" => ParseBoolean(name, position),
            "date" => new PlistDate(ParseDate(ReadText(name).Trim(), position), position),
            "data" => new PlistData(ParseData(ReadText(name), position), position),
            "key" => throw Error(position, "<key> outside a dict"),
            _ => throw Error(position, $"unknown tag <{name}>"),
        };
    }

    private PlistDict ParseDict(PlistPosition position, int depth)
    {
        var entries = new List<PlistEntry>();
        if (_reader.IsEmptyElement) return new PlistDict(entries, position);

        while (NextSignificant("dict") == XmlNodeType.Element)
        {
            var keyPosition = ElementPosition();
            if (_reader.Name != "key")
                throw Error(keyPosition, $"<{_reader.Name}> where a <key> was expected in dict");
            string key = ReadText("key");

            if (NextSignificant("dict") != XmlNodeType.Element)
                throw Error(keyPosition, $"key {Quote(key)} has no value");
            if (_reader.Name == "key")
                throw Error(ElementPosition(), $"key {Quote(key)} has no value (another <key> follows it)");
            entries.Add(new PlistEntry(key, ParseValue(depth + 1), keyPosition));
        }
        return new PlistDict(entries, position);
    }

    private PlistArray ParseArray(PlistPosition position, int depth)
    {
        var items = new List<PlistNode>();
        if (_reader.IsEmptyElement) return new PlistArray(items, position);
        while (NextSignificant("array") == XmlNodeType.Element)
            items.Add(ParseValue(depth + 1));
        return new PlistArray(items, position);
    }

    private PlistBoolean ParseBoolean(string name, PlistPosition position)
    {
        if (!string.IsNullOrWhiteSpace(ReadText(name)))
            throw Error(position, $"<{name}> must be empty");
        return new PlistBoolean(name == "true", position);
    }

    /// <summary>
    /// Moves to the next start or end tag inside a container. Whitespace is skipped; any other text is an error,
    /// because in a plist text only belongs inside leaf elements (godot's <c>$additional_plist_content</c> lands here).
    /// </summary>
    private XmlNodeType NextSignificant(string container)
    {
        while (true)
        {
            if (!_reader.Read()) throw Error(Here(), $"document ends inside <{container}>");
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element or XmlNodeType.EndElement:
                    return _reader.NodeType;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    if (!string.IsNullOrWhiteSpace(_reader.Value))
                        throw Error(TextPosition(), $"text {Quote(_reader.Value)} outside an element inside <{container}>");
                    break;
            }
        }
    }

    /// <summary>Reads the text of a leaf element (text, CDATA and resolved character entities); leaves the reader on its end tag.</summary>
    private string ReadText(string name)
    {
        if (_reader.IsEmptyElement) return "";
        var text = new StringBuilder();
        while (_reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(_reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    return text.ToString();
                case XmlNodeType.Element:
                    throw Error(ElementPosition(), $"unexpected <{_reader.Name}> inside <{name}>");
            }
        }
        throw Error(Here(), $"document ends inside <{name}>");
    }

    private BigInteger ParseInteger(string text, PlistPosition position)
    {
        // Binary plists hold at most 128-bit integers; anything longer than that many digits is refused before
        // BigInteger parsing (which is quadratic) ever sees it.
        var span = text.AsSpan();
        bool negative = false;
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }
        bool hex = span.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        var digits = hex ? span[2..] : span;
        bool valid = digits.Length > 0 && digits.Length <= (hex ? 32 : 39)
            && (hex ? digits.ContainsAnyExcept(HexDigits) == false : digits.ContainsAnyExceptInRange('0', '9') == false);
        if (!valid) throw Error(position, $"bad integer {Quote(text)}");

        var magnitude = hex
            ? BigInteger.Parse(string.Concat("0", digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var value = negative ? -magnitude : magnitude;
        if (value > UInt128.MaxValue || value < (BigInteger)Int128.MinValue)
            throw Error(position, $"integer {Quote(text)} does not fit in 128 bits");
        return value;
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private double ParseReal(string text, PlistPosition position)
    {
        // CoreFoundation writes nan, +infinity and -infinity; "inf" spellings are accepted too.
        switch (text.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan": return double.NaN;
            case "inf" or "+inf" or "infinity" or "+infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
        }
        if (text.Length > 0 && text.Length <= 400
            && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out double value))
            return value;
        throw Error(position, $"bad real {Quote(text)}");
    }

    private static readonly string[] DateFormats =
        ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    private DateTimeOffset ParseDate(string text, PlistPosition position)
    {
        if (DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        throw Error(position, $"bad date {Quote(text)} (expected ISO 8601 like 2024-01-31T12:00:00Z)");
    }

    private byte[] ParseData(string text, PlistPosition position)
    {
        try
        {
            // Convert ignores the spaces, tabs and line breaks Apple wraps base64 with.
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Error(position, $"bad base64 in <data> {Quote(text.Trim())}");
        }
    }

    // A text node starts right after the previous tag, usually with a line break and indentation; point at its
    // first visible character instead.
    private PlistPosition TextPosition()
    {
        int line = _lineInfo.LineNumber, column = _lineInfo.LinePosition;
        foreach (char c in _reader.Value)
        {
            if (!char.IsWhiteSpace(c)) break;
            if (c == '\n') { line++; column = 1; }
            else column++;
        }
        return Position(line, column);
    }

    private PlistPosition Here() => Position(_lineInfo.LineNumber, _lineInfo.LinePosition);

    // XmlReader reports an element at its name; point at the '<' instead, where an editor would.
    private PlistPosition ElementPosition() => Position(_lineInfo.LineNumber, Math.Max(1, _lineInfo.LinePosition - 1));

    private PlistPosition Position(int line, int column)
    {
        if (line <= 0) return PlistPosition.Unknown;
        return PlistPosition.AtLine(line + _skippedLines, line == 1 ? column + _skippedColumns : column);
    }

    private PlistFormatException Error(PlistPosition position, string problem) => new(_source, position, problem);

    private static string Quote(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length > 60) trimmed = trimmed[..60] + "…";
        return $"'{trimmed}'";
    }

    [GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$")]
    private static partial Regex LineInfoSuffix();

    private static string StripLineInfo(string message) => LineInfoSuffix().Replace(message, "");
}
