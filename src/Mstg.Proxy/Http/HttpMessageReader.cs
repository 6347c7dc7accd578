using System.Globalization;
using System.Text;

namespace Mstg.Proxy.Http;

/// <summary>Limits that keep one connection from holding unbounded memory or time.</summary>
public sealed record HttpLimits
{
    public int MaxHeadBytes { get; init; } = 64 * 1024;
    public long MaxBodyBytes { get; init; } = 32L * 1024 * 1024;
    /// <summary>Time allowed for a whole request head to arrive (slowloris guard) and for idle keep-alive.</summary>
    public TimeSpan HeadTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A whole body must arrive within this time, so a client trickling bytes cannot hold a buffer forever.</summary>
    public TimeSpan BodyTimeout { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>
/// Reads HTTP/1.1 messages from a stream with its own buffer. Bodies are read whole (bounded) because the
/// recorder needs them anyway; chunked bodies are de-chunked and re-sent with Content-Length.
/// </summary>
public sealed class HttpMessageReader(Stream stream, string peer, HttpLimits limits)
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    /// <summary>Bytes read from the stream but not consumed yet (handed on when a tunnel starts).</summary>
    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(_start, _end - _start);

    public async Task<HttpRequestHead?> ReadRequestHeadAsync(CancellationToken ct)
    {
        var lines = await ReadHeadLinesAsync("request head", ct, CheckRequestLine).ConfigureAwait(false);
        if (lines is null) return null;
        var parts = lines[0].Split(' ');
        var headers = ParseHeaders(lines, "request");
        CheckRequestFraming(headers);
        return new HttpRequestHead { Method = parts[0], Target = parts[1], Version = parts[2], Headers = headers };
    }

    /// <summary>
    /// A request whose length two parsers could read differently is refused (RFC 9112 §6.3), so a body can never
    /// turn into a second, unseen request (smuggling): Transfer-Encoding must end in chunked and may not come
    /// with Content-Length. A proxy that forwarded such a request would have to drop Content-Length; refusing it
    /// is simpler and no honest client sends both.
    /// </summary>
    private void CheckRequestFraming(HttpHeaders headers)
    {
        var codings = Codings(headers);
        if (codings.Count == 0) return;
        if (!codings[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase))
            throw new ProxyProtocolException(peer, "Transfer-Encoding", $"final coding is '{Truncate(codings[^1])}', not chunked, so the request's length is unknown (RFC 9112 §6.3)");
        if (codings.Count(c => c.Equals("chunked", StringComparison.OrdinalIgnoreCase)) > 1)
            throw new ProxyProtocolException(peer, "Transfer-Encoding", "chunked applied more than once (RFC 9112 §7)");
        if (headers.Get("Content-Length") is not null)
            throw new ProxyProtocolException(peer, "Transfer-Encoding", "sent together with Content-Length; the length is ambiguous (RFC 9112 §6.3)");
    }

    private static List<string> Codings(HttpHeaders headers) =>
        headers.Where(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',')).Select(c => c.Trim()).Where(c => c.Length > 0).ToList();

    /// <summary>A message is chunked when chunked is its final transfer coding (RFC 9112 §6.3).</summary>
    private static bool IsChunked(HttpHeaders headers) => Codings(headers) is { Count: > 0 } c && c[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase);

    // Checked as soon as the first line arrives, so garbage is refused without waiting for a blank line that never comes.
    private void CheckRequestLine(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[0].Length == 0 ||
            !parts[0].All(char.IsAsciiLetterUpper))
            throw new ProxyProtocolException(peer, "request line", $"malformed: '{Truncate(line)}'");
    }

    public async Task<HttpResponseHead> ReadResponseHeadAsync(CancellationToken ct)
    {
        var lines = await ReadHeadLinesAsync("response head", ct).ConfigureAwait(false)
            ?? throw new ProxyProtocolException(peer, "response head", "connection closed before a response");
        var parts = lines[0].Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new ProxyProtocolException(peer, "status line", $"malformed: '{Truncate(lines[0])}'");
        return new HttpResponseHead { Version = parts[0], Status = status, Reason = parts.Length > 2 ? parts[2] : "", Headers = ParseHeaders(lines, "response") };
    }

    public Task<byte[]> ReadRequestBodyAsync(HttpRequestHead head, CancellationToken ct) =>
        ReadBodyAsync(head.Headers, readToEnd: false, ct);

    public Task<byte[]> ReadResponseBodyAsync(HttpResponseHead head, string requestMethod, CancellationToken ct)
    {
        if (requestMethod == "HEAD" || head.Status is 204 or 304 || head.Status / 100 == 1)
            return Task.FromResult(Array.Empty<byte>());
        return ReadBodyAsync(head.Headers, readToEnd: true, ct);
    }

    private async Task<byte[]> ReadBodyAsync(HttpHeaders headers, bool readToEnd, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limits.BodyTimeout);
        try
        {
            return await ReadBodyWithinAsync(headers, readToEnd, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProxyProtocolException(peer, "body", $"not complete within {limits.BodyTimeout.TotalSeconds:0.#} s");
        }
    }

    private async Task<byte[]> ReadBodyWithinAsync(HttpHeaders headers, bool readToEnd, CancellationToken ct)
    {
        // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3); requests with both never get this far.
        if (IsChunked(headers)) return await ReadChunkedAsync(ct).ConfigureAwait(false);
        // A response whose final coding is not chunked lasts until the origin closes.
        var cl = Codings(headers).Count > 0 ? null : headers.Get("Content-Length");
        if (cl is not null)
        {
            if (!long.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                throw new ProxyProtocolException(peer, "Content-Length", $"not a number: '{Truncate(cl)}'");
            if (length > limits.MaxBodyBytes)
                throw new ProxyProtocolException(peer, "Content-Length", $"{length} bytes exceeds limit {limits.MaxBodyBytes}");
            return await ReadExactAsync((int)length, ct).ConfigureAwait(false);
        }
        if (!readToEnd) return [];
        // A response without length is delimited by the origin closing the connection.
        var body = new MemoryStream();
        while (true)
        {
            if (_end == _start && await FillAsync(ct).ConfigureAwait(false) == 0) return body.ToArray();
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
            if (body.Length > limits.MaxBodyBytes) throw new ProxyProtocolException(peer, "body", "exceeds limit");
        }
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync("chunk size", ct).ConfigureAwait(false);
            var hex = sizeLine.Split(';')[0].Trim();
            if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                throw new ProxyProtocolException(peer, "chunk size", $"not hex: '{Truncate(sizeLine)}'");
            if (body.Length + size > limits.MaxBodyBytes) throw new ProxyProtocolException(peer, "chunked body", "exceeds limit");
            if (size == 0)
            {
                while ((await ReadLineAsync("trailer", ct).ConfigureAwait(false)).Length > 0) { }
                return body.ToArray();
            }
            body.Write(await ReadExactAsync((int)size, ct).ConfigureAwait(false));
            if ((await ReadLineAsync("chunk end", ct).ConfigureAwait(false)).Length != 0)
                throw new ProxyProtocolException(peer, "chunk end", "missing CRLF after chunk data");
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var have = 0;
        while (have < count)
        {
            if (_end == _start && await FillAsync(ct).ConfigureAwait(false) == 0)
                throw new ProxyProtocolException(peer, "body", $"connection closed after {have} of {count} bytes");
            var n = Math.Min(count - have, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, have, n);
            _start += n;
            have += n;
        }
        return result;
    }

    private async Task<string> ReadLineAsync(string place, CancellationToken ct)
    {
        var sb = new StringBuilder();
        while (true)
        {
            var idx = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (idx >= 0)
            {
                sb.Append(Encoding.Latin1.GetString(_buffer, _start, idx - _start));
                _start = idx + 1;
                return sb.ToString().TrimEnd('\r');
            }
            sb.Append(Encoding.Latin1.GetString(_buffer, _start, _end - _start));
            _start = _end;
            if (sb.Length > limits.MaxHeadBytes) throw new ProxyProtocolException(peer, place, "line too long");
            if (await FillAsync(ct).ConfigureAwait(false) == 0) throw new ProxyProtocolException(peer, place, "connection closed mid-line");
        }
    }

    /// <summary>Reads up to the blank line. Returns null on a clean close before the first byte (keep-alive end).</summary>
    private async Task<List<string>?> ReadHeadLinesAsync(string place, CancellationToken ct, Action<string>? checkFirstLine = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limits.HeadTimeout);
        var lines = new List<string>();
        var total = 0;
        try
        {
            while (true)
            {
                if (lines.Count == 0 && _end == _start && await FillAsync(timeout.Token).ConfigureAwait(false) == 0) return null;
                string line;
                var idx = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (idx < 0)
                {
                    if (_end - _start + total > limits.MaxHeadBytes)
                        throw new ProxyProtocolException(peer, place, $"exceeds {limits.MaxHeadBytes} bytes");
                    if (await FillAsync(timeout.Token).ConfigureAwait(false) == 0)
                        throw new ProxyProtocolException(peer, place, "connection closed inside the head");
                    continue;
                }
                line = Encoding.Latin1.GetString(_buffer, _start, idx - _start).TrimEnd('\r');
                total += idx + 1 - _start;
                _start = idx + 1;
                if (total > limits.MaxHeadBytes) throw new ProxyProtocolException(peer, place, $"exceeds {limits.MaxHeadBytes} bytes");
                if (line.Length == 0)
                {
                    if (lines.Count == 0) continue; // tolerate a stray CRLF between messages (RFC 9112 2.2)
                    return lines;
                }
                if (lines.Count == 0) checkFirstLine?.Invoke(line);
                lines.Add(line);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProxyProtocolException(peer, place, $"not complete within {limits.HeadTimeout.TotalSeconds:0.#} s");
        }
    }

    private async ValueTask<int> FillAsync(CancellationToken ct)
    {
        if (_start > 0 && _start == _end) { _start = _end = 0; }
        if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            // Still full: one unterminated line fills the whole buffer.
            if (_end == _buffer.Length) throw new ProxyProtocolException(peer, "head", $"line longer than {_buffer.Length} bytes");
        }
        var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        _end += n;
        return n;
    }

    private HttpHeaders ParseHeaders(List<string> lines, string what)
    {
        var headers = new HttpHeaders();
        for (var i = 1; i < lines.Count; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon <= 0 || lines[i][0] is ' ' or '\t' || lines[i][..colon].Contains(' '))
                throw new ProxyProtocolException(peer, $"{what} header line {i}", $"malformed: '{Truncate(lines[i])}'");
            var name = lines[i][..colon];
            var value = lines[i][(colon + 1)..].Trim(' ', '\t');
            if (!name.All(IsTokenChar))
                throw new ProxyProtocolException(peer, $"{what} header line {i}", $"name '{Printable(name)}' has a character outside the token set (RFC 9110 §5.1)");
            // Lines end at LF, so a CR or NUL left in a value was inside it: forwarding it would let the value split or
            // cut the header downstream (RFC 9110 §5.5).
            if (value.IndexOfAny(['\0', '\r', '\n']) is var bad and >= 0)
                throw new ProxyProtocolException(peer, $"{what} header {name}", $"value contains {(value[bad] == '\0' ? "NUL" : value[bad] == '\r' ? "CR" : "LF")} (RFC 9110 §5.5)");
            headers.Add(new(name, value));
        }
        CollapseContentLength(headers, what);
        return headers;
    }

    /// <summary>
    /// Repeated Content-Length values (separate fields or a list) are one length only when all agree (RFC 9110 §8.6);
    /// then they collapse to one field. Different values mean two parsers would split the stream differently.
    /// </summary>
    private void CollapseContentLength(HttpHeaders headers, string what)
    {
        var values = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',')).Select(v => v.Trim()).ToList();
        if (values.Count <= 1) return;
        if (values.Any(v => v.Length == 0 || !v.All(char.IsAsciiDigit)))
            throw new ProxyProtocolException(peer, "Content-Length", $"not a number: '{Truncate(string.Join(", ", values))}'");
        if (values.Select(v => v.TrimStart('0')).Distinct().Count() > 1)
            throw new ProxyProtocolException(peer, "Content-Length", $"{what} has different values {Truncate(string.Join(", ", values))} (RFC 9110 §8.6)");
        headers.Set("Content-Length", values[0]);
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static string Printable(string s) => Truncate(string.Concat(s.Select(c => c < 0x20 || c == 0x7f ? $"\\x{(int)c:x2}" : c.ToString())));

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
