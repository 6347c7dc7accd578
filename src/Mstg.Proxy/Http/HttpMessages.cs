using System.Text;

namespace Mstg.Proxy.Http;

/// <summary>Bad bytes from a client or origin: names the peer, where in the message, and what was wrong.</summary>
public sealed class ProxyProtocolException(string peer, string place, string problem)
    : MstgInputException(peer, place, problem);

public sealed class HttpHeaders : List<KeyValuePair<string, string>>
{
    public string? Get(string name) =>
        this.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public void Remove(string name) => RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    public void Set(string name, string value)
    {
        Remove(name);
        Add(new(name, value));
    }

    public bool HasToken(string name, string token) =>
        this.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(','))
            .Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));
}

public sealed class HttpRequestHead
{
    public required string Method { get; init; }
    public required string Target { get; set; }
    public required string Version { get; init; }
    public HttpHeaders Headers { get; init; } = [];

    public byte[] Serialize() => HttpSerializer.Head($"{Method} {Target} {Version}", Headers);
}

public sealed class HttpResponseHead
{
    public required string Version { get; init; }
    public required int Status { get; init; }
    public required string Reason { get; init; }
    public HttpHeaders Headers { get; init; } = [];

    public byte[] Serialize() => HttpSerializer.Head($"{Version} {Status} {Reason}", Headers);
}

internal static class HttpSerializer
{
    public static byte[] Head(string startLine, HttpHeaders headers)
    {
        var sb = new StringBuilder(256);
        sb.Append(startLine).Append("\r\n");
        foreach (var (name, value) in headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        sb.Append("\r\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }
}
