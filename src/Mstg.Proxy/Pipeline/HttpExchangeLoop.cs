using Mstg.Tls;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// Relays HTTP/1.1 request/response pairs between a client and origins, recording each pair. Used for
/// decrypted TLS (fixed origin), plaintext inside a CONNECT tunnel (fixed origin) and absolute-form requests
/// to the explicit proxy (origin per request).
/// </summary>
internal sealed class HttpExchangeLoop : IAsyncDisposable
{
    private static readonly string[] HopByHop =
        ["Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect"];

    private readonly ProxyContext _ctx;
    private readonly long _connectionId;
    private readonly Stream _client;
    private readonly HttpMessageReader _clientReader;
    private readonly bool _tls;
    private readonly (string Host, int Port)? _fixedOrigin;
    private UpstreamConnection? _upstream;
    private bool _upstreamReused;
    private string _upstreamKey = "";
    private bool _upstreamReusable;

    private readonly System.Net.IPEndPoint? _originalDestination;
    private readonly Redactor _redactor;

    public HttpExchangeLoop(ProxyContext ctx, long connectionId, Stream client, HttpMessageReader clientReader, bool tls, (string Host, int Port)? fixedOrigin,
        System.Net.IPEndPoint? originalDestination = null)
    {
        _originalDestination = originalDestination;
        _redactor = ctx.Redactor;
        _ctx = ctx;
        _connectionId = connectionId;
        _client = client;
        _clientReader = clientReader;
        _tls = tls;
        _fixedOrigin = fixedOrigin;
    }

    public int Requests { get; private set; }

    /// <summary>
    /// Requests read from the client, whatever the origin did with them. A client that sent one trusted the certificate,
    /// even when the origin then failed (502): only a client that sent none refused after the handshake.
    /// </summary>
    public int Received { get; private set; }

    /// <summary>Called for each request before it is forwarded (absolute-form uses it to log cleartext).</summary>
    public Action<HttpRequestHead, string>? OnRequest { get; init; }

    /// <summary>Optional hook that answers a request itself (the well-known CA host); returns true when handled.</summary>
    public Func<HttpRequestHead, string, string, Task<bool>>? LocalHandler { get; init; }

    /// <summary>First request head if the caller already read it (explicit proxy).</summary>
    public HttpRequestHead? FirstRequest { get; init; }

    public async Task RunAsync(CancellationToken ct)
    {
        var pending = FirstRequest;
        while (!ct.IsCancellationRequested)
        {
            HttpRequestHead? head;
            try { head = pending ?? await _clientReader.ReadRequestHeadAsync(ct).ConfigureAwait(false); }
            catch (ProxyProtocolException e) when (IsBadRequest(e))
            {
                await RejectAsync(null, null, e, ct).ConfigureAwait(false);
                return;
            }
            pending = null;
            if (head is null) return;
            var (host, port, url) = Target(head);
            if (LocalHandler is not null && await LocalHandler(head, host, url).ConfigureAwait(false))
            {
                Received++;
                Requests++;
                if (!KeepAlive(head)) return;
                continue;
            }
            OnRequest?.Invoke(head, url);
            var keepAlive = KeepAlive(head);
            if (head.Headers.Get("Expect")?.Equals("100-continue", StringComparison.OrdinalIgnoreCase) == true)
                await _client.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            byte[] body;
            try { body = await _clientReader.ReadRequestBodyAsync(head, ct).ConfigureAwait(false); }
            catch (ProxyProtocolException e) when (IsBadRequest(e))
            {
                await RejectAsync(head, url, e, ct).ConfigureAwait(false);
                return;
            }
            Received++;
            StripHopByHop(head.Headers);
            if (body.Length > 0 || head.Method is "POST" or "PUT" or "PATCH")
                head.Headers.Set("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));

            HttpResponseHead response;
            byte[] responseBody;
            double send, wait;
            try
            {
                (response, responseBody, send, wait) = await ExchangeWithOriginAsync(host, port, Concat(head.Serialize(), body), head.Method, clock, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ProxyProtocolException or IOException)
            {
                await CloseUpstreamAsync(reusable: false).ConfigureAwait(false);
                if (e is ProxyProtocolException { Place: LoopGuard.Place })
                    await WriteSimpleAsync(_client, 508, "Loop Detected", $"mstg proxy: {e.Message}\n", ct, null, ("Connection", "close")).ConfigureAwait(false);
                else
                    await WriteSimpleAsync(_client, 502, "Bad Gateway", $"mstg proxy: {e.Message}\n", ct).ConfigureAwait(false);
                throw e as ProxyProtocolException ?? new ProxyProtocolException($"{host}:{port}", "upstream exchange", e.Message);
            }
            var originClosing = response.Headers.HasToken("Connection", "close") ||
                (response.Headers.Get("Content-Length") is null && !response.Headers.HasToken("Transfer-Encoding", "chunked"));
            StripHopByHop(response.Headers);
            if (head.Method != "HEAD" && response.Status is not (204 or 304))
                response.Headers.Set("Content-Length", responseBody.Length.ToString(CultureInfo.InvariantCulture));
            if (!keepAlive) response.Headers.Set("Connection", "close");
            await _client.WriteAsync(Concat(response.Serialize(), responseBody), ct).ConfigureAwait(false);
            await _client.FlushAsync(ct).ConfigureAwait(false);
            Requests++;
            _ctx.Har.Add(new RecordedFlow(_connectionId, started, url, head, body, response, responseBody,
                send, wait, clock.Elapsed.TotalMilliseconds - send - wait, _upstream?.Address));
            // Real-time evidence: apps keep connections open for minutes, so "was anything decrypted?" must not
            // wait for the connection event at close.
            _ctx.Events.Append(new ProxyEvent
            {
                Id = _ctx.Events.NextId(), Time = started, Type = "flow", ConnectionId = _connectionId,
                Condition = _ctx.Condition.Current.ToName(), ConditionGeneration = _ctx.Condition.Generation, Host = host, Port = port, InScope = _ctx.Scope.Matches(host),
                Mode = _tls ? "intercept" : "cleartext", Method = head.Method, Url = _redactor.Url(url), Status = response.Status,
                DurationMs = clock.Elapsed.TotalMilliseconds,
            });
            _upstreamReusable = !originClosing;
            if (originClosing) await CloseUpstreamAsync(reusable: false).ConfigureAwait(false);
            if (!keepAlive) return;
        }
    }

    /// <summary>Requests refused with 400 (framing, header syntax, limits); each one is also a "rejected" event.</summary>
    public int Rejected { get; private set; }

    /// <summary>Why the last request was refused, for the connection's event.</summary>
    public string? RejectedReason { get; private set; }

    // Only the client reader throws here. Malformed bytes earn a 400; a client that is slow, idle (head/body
    // timeout) or gone keeps the old handling: the connection ends and its event says why.
    private static bool IsBadRequest(ProxyProtocolException e) =>
        !e.Problem.StartsWith("not complete", StringComparison.Ordinal) && !e.Problem.StartsWith("connection closed", StringComparison.Ordinal);

    /// <summary>
    /// Answers 400 and closes: after a framing error the rest of the stream cannot be trusted to be the next request.
    /// The reason becomes evidence at once, so a refused request is never mistaken for a client that sent nothing.
    /// </summary>
    private async Task RejectAsync(HttpRequestHead? head, string? url, ProxyProtocolException e, CancellationToken ct)
    {
        Rejected++;
        RejectedReason = "request refused with 400: " + e.Message;
        await WriteSimpleAsync(_client, 400, "Bad Request", $"mstg proxy: {e.Problem}\n", ct, null, ("Connection", "close")).ConfigureAwait(false);
        var origin = _fixedOrigin;
        _ctx.Events.Append(new ProxyEvent
        {
            Id = _ctx.Events.NextId(), Time = DateTimeOffset.UtcNow, Type = "rejected", ConnectionId = _connectionId,
            Condition = _ctx.Condition.Current.ToName(), ConditionGeneration = _ctx.Condition.Generation, Host = origin?.Host, Port = origin?.Port,
            InScope = origin is { } o ? _ctx.Scope.Matches(o.Host) : null,
            Mode = _tls ? "intercept" : "cleartext", Method = head?.Method, Url = url is null ? null : _redactor.Text(url), Status = 400,
            Detail = RejectedReason,
        });
    }

    private (string Host, int Port, string Url) Target(HttpRequestHead head)
    {
        if (_fixedOrigin is { } origin)
        {
            var scheme = _tls ? "https" : "http";
            var defaultPort = _tls ? 443 : 80;
            var authority = origin.Port == defaultPort ? origin.Host : $"{origin.Host}:{origin.Port}";
            if (Uri.TryCreate(head.Target, UriKind.Absolute, out var abs) && abs.Scheme.StartsWith("http", StringComparison.Ordinal))
                head.Target = abs.PathAndQuery;
            return (origin.Host, origin.Port, $"{scheme}://{authority}{head.Target}");
        }
        if (!Uri.TryCreate(head.Target, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            throw new ProxyProtocolException("client", "request target", $"explicit proxy needs an absolute http:// URL, got '{head.Target}'");
        head.Target = uri.PathAndQuery;
        head.Headers.Set("Host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}");
        return (uri.IdnHost, uri.Port, uri.AbsoluteUri);
    }

    private static bool KeepAlive(HttpRequestHead head) =>
        head.Version == "HTTP/1.1" ? !head.Headers.HasToken("Connection", "close") : head.Headers.HasToken("Connection", "keep-alive");

    private static void StripHopByHop(HttpHeaders headers)
    {
        foreach (var token in headers.Where(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                     .SelectMany(h => h.Value.Split(',')).Select(t => t.Trim()).ToList())
            headers.Remove(token);
        foreach (var name in HopByHop) headers.Remove(name);
    }

    /// <summary>
    /// Sends one request and reads the whole response. A pooled connection the origin closed meanwhile fails
    /// before any response byte; then the request goes once more on a fresh connection.
    /// </summary>
    private async Task<(HttpResponseHead, byte[], double, double)> ExchangeWithOriginAsync(string host, int port, byte[] request, string method, Stopwatch clock, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await EnsureUpstreamAsync(host, port, ct).ConfigureAwait(false);
            var upstream = _upstream!;
            _upstreamReusable = false; // until this exchange completes cleanly
            try
            {
                await upstream.Stream.WriteAsync(request, ct).ConfigureAwait(false);
                await upstream.Stream.FlushAsync(ct).ConfigureAwait(false);
                var send = clock.Elapsed.TotalMilliseconds;
                var response = await upstream.Reader.ReadResponseHeadAsync(ct).ConfigureAwait(false);
                while (response.Status is >= 100 and < 200) // interim responses are not forwarded
                    response = await upstream.Reader.ReadResponseHeadAsync(ct).ConfigureAwait(false);
                var wait = clock.Elapsed.TotalMilliseconds - send;
                var body = await upstream.Reader.ReadResponseBodyAsync(response, method, ct).ConfigureAwait(false);
                return (response, body, send, wait);
            }
            catch (Exception e) when (attempt == 0 && _upstreamReused && !ct.IsCancellationRequested &&
                                      (e is IOException || e is ProxyProtocolException { Place: "response head" }))
            {
                await CloseUpstreamAsync(reusable: false).ConfigureAwait(false);
            }
        }
    }

    private async Task EnsureUpstreamAsync(string host, int port, CancellationToken ct)
    {
        var key = UpstreamPool.Key(_tls, host, port, _originalDestination);
        if (_upstream is not null && _upstreamKey == key) return;
        await CloseUpstreamAsync(_upstreamReusable).ConfigureAwait(false);
        _upstreamKey = key;
        _upstream = _ctx.UpstreamPool.Rent(key);
        _upstreamReused = _upstream is not null;
        if (_upstream is not null) return;
        var (tcp, address) = await _ctx.Upstream.ConnectTcpAsync(host, port, ct, _originalDestination).ConfigureAwait(false);
        Stream stream = _tls ? await _ctx.Upstream.ConnectTlsAsync(tcp, host, ct).ConfigureAwait(false) : tcp;
        var reader = new HttpMessageReader(stream, $"{host}:{port}", _ctx.Options.Limits with { HeadTimeout = TimeSpan.FromSeconds(60) });
        _upstream = new UpstreamConnection(tcp, stream, reader, address);
    }

    /// <summary>Hands a cleanly finished origin connection to the pool; anything else is closed.</summary>
    private async Task CloseUpstreamAsync(bool reusable)
    {
        var upstream = _upstream;
        _upstream = null;
        _upstreamReusable = false;
        if (upstream is null) return;
        if (reusable) { _ctx.UpstreamPool.Return(_upstreamKey, upstream); return; }
        await Tls.TlsClose.SendCloseNotifyAsync(upstream.Stream).ConfigureAwait(false);
        await upstream.DisposeAsync().ConfigureAwait(false);
    }

    public static async Task WriteSimpleAsync(Stream stream, int status, string reason, string body, CancellationToken ct, string? contentType = null, params (string, string)[] extra)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var sb = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nContent-Length: {bytes.Length}\r\nContent-Type: {contentType ?? "text/plain; charset=utf-8"}\r\n");
            foreach (var (k, v) in extra) sb.Append(k).Append(": ").Append(v).Append("\r\n");
            sb.Append("\r\n");
            await stream.WriteAsync(Concat(Encoding.Latin1.GetBytes(sb.ToString()), bytes), ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (IOException) { } // the client may already be gone; nothing left to tell it
    }

    internal static byte[] Concat(byte[] a, byte[] b)
    {
        if (b.Length == 0) return a;
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    public ValueTask DisposeAsync() => new(CloseUpstreamAsync(_upstreamReusable));
}
