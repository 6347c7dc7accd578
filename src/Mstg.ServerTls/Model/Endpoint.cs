using System.Globalization;

namespace Mstg.ServerTls;

/// <summary>One TLS endpoint to probe: where to connect and which name to send as SNI and check the certificate against.</summary>
public sealed record Endpoint(string Host, int Port, string? ServerName = null)
{
    /// <summary>The name sent in SNI and matched against the certificate: <see cref="ServerName"/>, else the host.</summary>
    public string Name => ServerName ?? Host;

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or an https URL; port 443 when none is given.</summary>
    public static Endpoint Parse(string text, string? serverName = null)
    {
        var t = text.Trim();
        if (t.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(t);
            return new Endpoint(uri.IdnHost.Trim('[', ']'), uri.Port, serverName);
        }
        if (t.Contains("://", StringComparison.Ordinal)) throw new FormatException($"'{text}': only https:// URLs or host[:port] can be probed");
        string host; var port = 443;
        if (t.StartsWith('['))
        {
            var close = t.IndexOf(']');
            if (close < 0) throw new FormatException($"'{text}': unterminated [ in an IPv6 address");
            host = t[1..close];
            if (close + 1 < t.Length)
            {
                if (t[close + 1] != ':') throw new FormatException($"'{text}': expected :port after ]");
                port = ParsePort(t[(close + 2)..], text);
            }
        }
        else if (t.Count(c => c == ':') == 1)
        {
            var i = t.IndexOf(':');
            host = t[..i];
            port = ParsePort(t[(i + 1)..], text);
        }
        else host = t;
        if (host.Length == 0) throw new FormatException($"'{text}': no host");
        return new Endpoint(host, port, serverName);
    }

    private static int ParsePort(string s, string text) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? p : throw new FormatException($"'{text}': port '{s}' is not a number from 1 to 65535");
}
