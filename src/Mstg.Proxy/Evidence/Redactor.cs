using System.Text.RegularExpressions;

namespace Mstg.Proxy.Evidence;

/// <summary>
/// Removes credentials from recorded flows before they reach HAR or logs. Evidence files end up in CI artefacts
/// and bug reports, where live session tokens must not travel.
/// </summary>
public sealed partial class Redactor(bool enabled = true)
{
    public const string Mask = "[redacted]";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token", "X-Csrf-Token",
    };

    public bool Enabled => enabled;

    public string Header(string name, string value)
    {
        if (!enabled) return value;
        if (SecretHeaders.Contains(name)) return Mask;
        return Text(value);
    }

    /// <summary>Masks token-shaped values: JWTs, bearer tokens and secret-named query/form/JSON fields.</summary>
    public string Text(string value)
    {
        if (!enabled || value.Length == 0) return value;
        value = Jwt().Replace(value, Mask);
        value = Bearer().Replace(value, "$1" + Mask);
        value = NamedSecret().Replace(value, m => m.Groups["pre"].Value + Mask);
        return value;
    }

    /// <summary>
    /// Free text such as an error message that may quote a request line or a header line
    /// (<c>malformed header 'Cookie: sid=…'</c>): secret header values and token-shaped values are masked.
    /// </summary>
    public string FreeText(string value)
    {
        if (!enabled || value.Length == 0) return value;
        return Text(SecretHeaderLine().Replace(value, m => m.Groups["name"].Value + ": " + Mask));
    }

    [GeneratedRegex(@"\b(?<name>Authorization|Proxy-Authorization|Cookie|Set-Cookie|X-Api-Key|X-Auth-Token|X-Csrf-Token)\s*:\s*[^'""\r\n]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretHeaderLine();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"((?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    // token=…, "password":"…", api_key=… in query strings, forms and JSON.
    [GeneratedRegex(@"(?<pre>[""']?(?:access_token|refresh_token|id_token|token|api_?key|apikey|password|passwd|secret|client_secret|session(?:_?id)?|auth)[""']?\s*[=:]\s*[""']?)[^&""'\s,}]+", RegexOptions.IgnoreCase)]
    private static partial Regex NamedSecret();
}
