using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mstg.Proxy.Evidence;

/// <summary>
/// Removes credentials from recorded flows before they reach HAR or logs. Evidence files end up in CI artefacts
/// and bug reports, where live session tokens must not travel. Names are compared after decoding what a client
/// may encode (percent-escapes and '+' in URLs and forms, \u escapes in JSON), so encoding a key does not hide it.
/// </summary>
public sealed partial class Redactor
{
    public const string Mask = "[redacted]";

    private readonly bool _enabled;
    private readonly RedactionPolicy _policy;
    private readonly HashSet<string> _secretHeaders;
    private readonly HashSet<string> _keptHeaders;
    private readonly HashSet<string> _fieldWords;
    private readonly string[] _fieldSuffixes;
    private readonly Regex _secretHeaderLine;

    public Redactor(bool enabled = true) : this(enabled, RedactionPolicy.Default) { }

    public Redactor(bool enabled, RedactionPolicy policy)
    {
        _enabled = enabled;
        _policy = policy;
        _secretHeaders = new(policy.SecretHeaders, StringComparer.OrdinalIgnoreCase);
        _keptHeaders = new(policy.KeptHeaders, StringComparer.OrdinalIgnoreCase);
        _fieldWords = new(policy.SecretFieldWords.Select(w => w.ToLowerInvariant()), StringComparer.Ordinal);
        _fieldSuffixes = [.. _fieldWords.Where(w => w.Length >= 5)];
        // "Name: value" inside free text (error messages quoting a header line); the evaluator re-checks the name.
        var names = policy.SecretHeaders.Select(Regex.Escape)
            .Concat(policy.SecretHeaderFragments.Select(f => $"[A-Za-z0-9-]*{Regex.Escape(f)}[A-Za-z0-9-]*"));
        // Non-backtracking: the pattern is built from configurable lists, and linear time must not depend on them.
        _secretHeaderLine = new Regex($@"\b(?<name>{string.Join("|", names)})\s*:\s*[^'""\r\n]*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public bool Enabled => _enabled;
    public RedactionPolicy Policy => _policy;

    /// <summary>True when a header's value is masked as a whole (see <see cref="RedactionPolicy"/>).</summary>
    public bool IsSecretHeader(string name)
    {
        if (_secretHeaders.Contains(name)) return true;
        if (_keptHeaders.Contains(name)) return false;
        foreach (var fragment in _policy.SecretHeaderFragments)
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>True when a query, form or JSON field's value is masked; <paramref name="decodedName"/> is already unescaped.</summary>
    public bool IsSecretField(string decodedName)
    {
        foreach (var word in Words(decodedName))
        {
            // Plurals count too ("cookies", "tokens").
            if (_fieldWords.Contains(word) || (word.Length > 3 && word[^1] == 's' && _fieldWords.Contains(word[..^1]))) return true;
            foreach (var suffix in _fieldSuffixes)
                if (word.EndsWith(suffix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public string Header(string name, string value)
    {
        if (!_enabled) return value;
        if (IsSecretHeader(name)) return Mask;
        return AbsoluteUrl().IsMatch(value) ? Url(value) : Text(value);
    }

    /// <summary>
    /// A URL as recorded (request URL, Referer, Location): userinfo, secret-named query and fragment parameters
    /// (names percent-decoded first) and token-shaped path segments are masked.
    /// </summary>
    public string Url(string url)
    {
        if (!_enabled || url.Length == 0) return url;
        var prefix = "";
        var rest = url;
        var scheme = AbsoluteUrl().Match(url);
        if (scheme.Success)
        {
            var authorityEnd = url.IndexOfAny(['/', '?', '#'], scheme.Length);
            if (authorityEnd < 0) authorityEnd = url.Length;
            var authority = url[scheme.Length..authorityEnd];
            var at = authority.LastIndexOf('@');
            // Both halves may be secret (a token as the user name is common), so the whole userinfo goes.
            prefix = url[..scheme.Length] + (at < 0 ? authority : Mask + authority[at..]);
            rest = url[authorityEnd..];
        }
        string? fragment = null;
        var hash = rest.IndexOf('#');
        if (hash >= 0) { fragment = rest[(hash + 1)..]; rest = rest[..hash]; }
        string? query = null;
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }
        var sb = new StringBuilder(prefix).Append(TokenShapes(rest));
        // OAuth's implicit flow puts access_token in the fragment, so it is read as parameters too.
        if (query is not null) sb.Append('?').Append(Pairs(query));
        if (fragment is not null) sb.Append('#').Append(Pairs(fragment));
        return sb.ToString();
    }

    /// <summary>
    /// A body as text: JSON is walked with a JSON reader (escaped keys decoded, nested values masked whole),
    /// url-encoded forms pair by pair; anything else, and what follows a JSON error (a body cut at the HAR limit),
    /// gets the token-shape and name=value rules of <see cref="Text"/>.
    /// </summary>
    public string Body(string text, string? contentType)
    {
        if (!_enabled || text.Length == 0) return text;
        var type = contentType ?? "";
        if (type.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return TokenShapes(Pairs(text));
        var trimmed = text.AsSpan().TrimStart();
        if (type.Contains("json", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("{") || trimmed.StartsWith("["))
            text = Json(text);
        return Text(text);
    }

    /// <summary>Masks token-shaped values: URL userinfo, JWTs, bearer tokens and secret-named name=value / "name": value pairs.</summary>
    public string Text(string value)
    {
        if (!_enabled || value.Length == 0) return value;
        value = UserInfo().Replace(value, m => m.Groups["scheme"].Value + Mask + "@");
        value = TokenShapes(value);
        return NamedValue().Replace(value, m => IsSecretField(DecodeName(m.Groups["name"].Value)) ? m.Groups["pre"].Value + Mask : m.Value);
    }

    /// <summary>
    /// Free text such as an error message that may quote a request line or a header line
    /// (<c>malformed header 'Cookie: sid=…'</c>): secret header values and token-shaped values are masked.
    /// </summary>
    public string FreeText(string value)
    {
        if (!_enabled || value.Length == 0) return value;
        value = _secretHeaderLine.Replace(value, m => IsSecretHeader(m.Groups["name"].Value) ? m.Groups["name"].Value + ": " + Mask : m.Value);
        return Text(value);
    }

    /// <summary>Value of one decoded query parameter, for HAR's queryString list.</summary>
    public string QueryValue(string decodedName, string decodedValue) =>
        !_enabled ? decodedValue : IsSecretField(decodedName) ? Mask : Text(decodedValue);

    private static string TokenShapes(string value)
    {
        value = Jwt().Replace(value, Mask);
        return Bearer().Replace(value, "$1" + Mask);
    }

    /// <summary>a=1&amp;b=2 (query, fragment, form): names are compared percent- and '+'-decoded; the raw name is kept.</summary>
    private string Pairs(string pairs)
    {
        var parts = pairs.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            var name = eq < 0 ? parts[i] : parts[i][..eq];
            if (eq >= 0 && IsSecretField(DecodeName(name))) parts[i] = name + "=" + Mask;
            else if (eq >= 0) parts[i] = name + "=" + TokenShapes(parts[i][(eq + 1)..]);
        }
        return string.Join('&', parts);
    }

    /// <summary>
    /// Replaces the value of every secret-named property (string, number, object or array) in place, so the rest of
    /// the body keeps its exact bytes. Stops at the first syntax error; what was found up to there is still masked.
    /// </summary>
    private string Json(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var cuts = new List<(long Start, long End)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || !IsSecretField(reader.GetString() ?? "")) continue;
                if (!reader.Read()) break;
                var start = reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) break;
                cuts.Add((start, reader.BytesConsumed));
            }
        }
        catch (JsonException) { } // cut or malformed: keep the cuts found so far, Text() handles the rest
        if (cuts.Count == 0) return text;
        using var output = new MemoryStream(bytes.Length);
        long position = 0;
        var mask = Encoding.UTF8.GetBytes("\"" + Mask + "\"");
        foreach (var (start, end) in cuts)
        {
            output.Write(bytes, (int)position, (int)(start - position));
            output.Write(mask);
            position = end;
        }
        output.Write(bytes, (int)position, bytes.Length - (int)position);
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    /// <summary>Undoes what a client may have used to disguise a name: %XX, '+' and JSON-style \uXXXX.</summary>
    private static string DecodeName(string name)
    {
        if (name.Contains('\\'))
            name = JsonEscape().Replace(name, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        if (name.Contains('%') || name.Contains('+'))
        {
            try { name = Uri.UnescapeDataString(name.Replace('+', ' ')); }
            catch (UriFormatException) { }
        }
        return name;
    }

    /// <summary>Lower-case words of a name: split at non-alphanumerics and camelCase humps ("AWSAccessKeyId" → aws, access, key, id).</summary>
    private static IEnumerable<string> Words(string name)
    {
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (word.Length > 0) { yield return word.ToString(); word.Clear(); }
                continue;
            }
            var hump = char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (hump && word.Length > 0) { yield return word.ToString(); word.Clear(); }
            word.Append(char.ToLowerInvariant(c));
        }
        if (word.Length > 0) yield return word.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex AbsoluteUrl();

    // Tried only where a run of scheme characters starts, so a long run (a base64 body) is scanned once, not once per character.
    [GeneratedRegex(@"(?<![A-Za-z0-9+.-])(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@'""<>]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    // '=' only as base64 padding, so a challenge's "Basic realm=api" is not taken for a credential.
    [GeneratedRegex(@"((?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/-]{8,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    // token=…, "password":"…", pass%77ord=…, "p\u0061ssword": … in query strings, forms, JSON and free text; the
    // evaluator decides by the decoded name. Names start only where a run of name characters starts and are taken
    // whole (atomic, ≤ 128), so bodies of up to 1 MiB without separators stay linear.
    [GeneratedRegex(@"(?<pre>(?<q>[""']?)(?<![A-Za-z0-9_%+.\\-])(?<name>(?>[A-Za-z0-9_%+.\\-]{1,128}))\k<q>\s*[=:]\s*[""']?)(?<value>\[redacted\]|[^&""'\s,}]+)")]
    private static partial Regex NamedValue();

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex JsonEscape();
}
