using System.Text;

namespace Mstg.Plist.OpenStep;

/// <summary>
/// Reads the old NeXT/OpenStep text format: <c>{ key = value; }</c> dicts, <c>( a, b )</c> arrays, <c>&lt;0fbd&gt;</c>
/// data and strings (quoted with escapes, or bare words), plus the ".strings file" form that is a dict body without
/// braces (<c>"a" = "b";</c>). Every leaf is a string: the format has no numbers, booleans or dates.
/// </summary>
internal sealed class OpenStepParser
{
    private readonly string _text;
    private readonly string _source;
    private readonly PlistReaderOptions _options;
    private readonly List<int> _lineStarts = [0];
    private int _pos;

    private OpenStepParser(string text, string source, PlistReaderOptions options)
    {
        _text = text;
        _source = source;
        _options = options;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                _lineStarts.Add(i + 1);
    }

    public static PlistNode Parse(ReadOnlyMemory<byte> bytes, string source, PlistReaderOptions options) =>
        new OpenStepParser(Decode(bytes.Span, source), source, options).ParseDocument();

    /// <summary>Text is UTF-16 when it starts with a BOM (as .strings files often do), otherwise strict UTF-8.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        Encoding encoding;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) { encoding = new UnicodeEncoding(true, false, true); bytes = bytes[2..]; }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) { encoding = new UnicodeEncoding(false, false, true); bytes = bytes[2..]; }
        else
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
            encoding = new UTF8Encoding(false, true);
        }
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new PlistFormatException(source, PlistPosition.AtByte(Math.Max(0, e.Index)),
                $"text is not valid {(encoding is UTF8Encoding ? "UTF-8" : "UTF-16")}", e);
        }
    }

    private PlistNode ParseDocument()
    {
        if (!SkipSpaceAndComments())
            return new PlistDict([], Position(0)); // an empty .strings file

        int start = _pos;
        var value = ParseValue(0);
        if (!SkipSpaceAndComments()) return value;

        // `"key" = "value";` at top level: a strings file, i.e. a dict body without its braces.
        if (value is PlistString && (_text[_pos] == '=' || _text[_pos] == ';'))
        {
            _pos = start;
            return ParseDictBody(Position(start), 0, topLevel: true);
        }
        throw Error(_pos, $"unexpected {Describe(_pos)} after the top-level value");
    }

    private PlistNode ParseValue(int depth)
    {
        if (depth >= _options.MaxDepth) throw Error(_pos, $"nesting deeper than the limit of {_options.MaxDepth}");
        char c = _text[_pos];
        switch (c)
        {
            case '{':
            {
                var position = Position(_pos);
                _pos++;
                return ParseDictBody(position, depth, topLevel: false);
            }
            case '(':
                return ParseArray(depth);
            case '<':
                return ParseData();
            case '"' or '\'':
                return ParseQuoted();
            default:
                if (IsBareChar(c)) return ParseBare();
                throw Error(_pos, $"unexpected {Describe(_pos)} where a value was expected");
        }
    }

    /// <summary>
    /// Reads <c>key = value;</c> entries up to the closing brace (or end of text for a strings file). The last
    /// entry's semicolon may be left out, as NeXT-era files sometimes do; between entries it is required.
    /// </summary>
    private PlistDict ParseDictBody(PlistPosition position, int depth, bool topLevel)
    {
        var entries = new List<PlistEntry>();
        while (true)
        {
            if (!SkipSpaceAndComments())
            {
                if (topLevel) break;
                throw Error(_pos, $"text ends inside the dict opened at {position}");
            }
            if (!topLevel && _text[_pos] == '}') { _pos++; break; }

            int keyStart = _pos;
            if (_text[_pos] is not ('"' or '\'') && !IsBareChar(_text[_pos]))
                throw Error(_pos, $"unexpected {Describe(_pos)} where a dict key was expected");
            var key = (PlistString)(_text[_pos] is '"' or '\'' ? ParseQuoted() : ParseBare());

            Expect("after dict key '" + Short(key.Value) + "'");
            PlistNode value;
            if (topLevel && _text[_pos] == ';')
            {
                // Strings-file shorthand: `"key";` means the value is the key itself.
                value = key;
            }
            else
            {
                if (_text[_pos] != '=')
                    throw Error(_pos, $"expected '=' after dict key '{Short(key.Value)}' but found {Describe(_pos)}");
                _pos++;
                Expect($"for dict key '{Short(key.Value)}'");
                value = ParseValue(depth + 1);
            }
            entries.Add(new PlistEntry(key.Value, value, Position(keyStart)));

            bool more = SkipSpaceAndComments();
            if (more && _text[_pos] == ';') { _pos++; continue; }
            if (!more && topLevel) break;
            if (more && !topLevel && _text[_pos] == '}') { _pos++; break; }
            throw Error(_pos, more
                ? $"expected ';' after the value of dict key '{Short(key.Value)}' but found {Describe(_pos)}"
                : $"text ends inside the dict opened at {position}");
        }
        return new PlistDict(entries, position);
    }

    private PlistArray ParseArray(int depth)
    {
        var position = Position(_pos);
        _pos++;
        var items = new List<PlistNode>();
        while (true)
        {
            Expect($"inside the array opened at {position}");
            if (_text[_pos] == ')') { _pos++; break; }
            items.Add(ParseValue(depth + 1));
            Expect($"inside the array opened at {position}");
            if (_text[_pos] == ',') { _pos++; continue; }   // a trailing comma before ')' is fine
            if (_text[_pos] == ')') { _pos++; break; }
            throw Error(_pos, $"expected ',' or ')' in the array opened at {position} but found {Describe(_pos)}");
        }
        return new PlistArray(items, position);
    }

    private PlistData ParseData()
    {
        var position = Position(_pos);
        int open = _pos++;
        var bytes = new List<byte>();
        int high = -1;
        while (true)
        {
            if (_pos >= _text.Length) throw Error(open, "data '<' is never closed with '>'");
            char c = _text[_pos];
            if (c == '>') break;
            if (char.IsWhiteSpace(c)) { _pos++; continue; }
            if (!char.IsAsciiHexDigit(c)) throw Error(_pos, $"{Describe(_pos)} is not a hex digit in data");
            int nibble = Convert.ToInt32(c.ToString(), 16);
            if (high < 0) high = nibble;
            else { bytes.Add((byte)((high << 4) | nibble)); high = -1; }
            _pos++;
        }
        if (high >= 0) throw Error(_pos, "data has an odd number of hex digits");
        _pos++;
        return new PlistData(bytes.ToArray(), position);
    }

    private PlistString ParseQuoted()
    {
        var position = Position(_pos);
        int open = _pos;
        char quote = _text[_pos++];
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error(open, $"string opened with {quote} is never closed");
            char c = _text[_pos++];
            if (c == quote) break;
            if (c != '\\') { value.Append(c); continue; }
            if (_pos >= _text.Length) throw Error(open, $"string opened with {quote} is never closed");
            value.Append(ReadEscape());
        }
        return new PlistString(value.ToString(), position);
    }

    /// <summary>Reads the part of an escape after the backslash: C escapes, \Uxxxx and up to three octal digits.</summary>
    private string ReadEscape()
    {
        int at = _pos - 1;
        char e = _text[_pos++];
        switch (e)
        {
            case 'n': return "\n";
            case 't': return "\t";
            case 'r': return "\r";
            case 'a': return "\a";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'v': return "\v";
            case 'U' or 'u':
            {
                int value = 0, digits = 0;
                while (digits < 4 && _pos < _text.Length && char.IsAsciiHexDigit(_text[_pos]))
                {
                    value = value * 16 + Convert.ToInt32(_text[_pos].ToString(), 16);
                    _pos++;
                    digits++;
                }
                if (digits == 0) throw Error(at, "\\U escape without hex digits");
                return ((char)value).ToString();
            }
            case >= '0' and <= '7':
            {
                int value = e - '0', digits = 1;
                while (digits < 3 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7')
                {
                    value = value * 8 + (_text[_pos] - '0');
                    _pos++;
                    digits++;
                }
                return ((char)value).ToString();
            }
            // \\, \", \' and any other character stand for themselves.
            default: return e.ToString();
        }
    }

    private PlistString ParseBare()
    {
        int start = _pos;
        while (_pos < _text.Length && IsBareChar(_text[_pos])) _pos++;
        return new PlistString(_text[start.._pos], Position(start));
    }

    private static bool IsBareChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '+' or '/' or ':' or '.' or '-';

    /// <summary>Skips whitespace and comments; returns false at end of text.</summary>
    private bool SkipSpaceAndComments()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (char.IsWhiteSpace(c) || c == '\uFEFF') { _pos++; continue; }
            if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] is not ('\n' or '\r')) _pos++;
                continue;
            }
            if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                int end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0) throw Error(_pos, "comment '/*' is never closed");
                _pos = end + 2;
                continue;
            }
            return true;
        }
        return false;
    }

    private void Expect(string where)
    {
        if (!SkipSpaceAndComments()) throw Error(_pos, $"text ends {where}");
    }

    private string Describe(int pos) =>
        pos >= _text.Length ? "end of text" : char.IsControl(_text[pos]) ? $"character U+{(int)_text[pos]:X4}" : $"'{_text[pos]}'";

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private PlistPosition Position(int pos)
    {
        int line = _lineStarts.BinarySearch(pos);
        if (line < 0) line = ~line - 1;
        return PlistPosition.AtLine(line + 1, pos - _lineStarts[line] + 1);
    }

    private PlistFormatException Error(int pos, string problem) => new(_source, Position(pos), problem);
}
