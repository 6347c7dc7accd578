using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Evidence;

/// <summary>One decrypted (or cleartext) request/response pair.</summary>
public sealed record RecordedFlow(
    long ConnectionId,
    DateTimeOffset Started,
    string Url,
    HttpRequestHead Request,
    byte[] RequestBody,
    HttpResponseHead Response,
    byte[] ResponseBody,
    double SendMs,
    double WaitMs,
    double ReceiveMs,
    string? ServerAddress)
{
    /// <summary>Body sizes as sent, kept when the recorder cuts the bodies it stores.</summary>
    public long RequestBodySize { get; init; } = RequestBody.Length;
    public long ResponseBodySize { get; init; } = ResponseBody.Length;
}

/// <summary>
/// Collects flows and writes them as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), with the
/// redactor applied on the way out. Bodies beyond <see cref="MaxBodyChars"/> are cut and flagged in a comment.
/// </summary>
public sealed class HarRecorder(Redactor redactor, int maxFlows = 10_000)
{
    public const int MaxBodyChars = 1024 * 1024;

    private readonly object _gate = new();
    private readonly Queue<RecordedFlow> _flows = new();

    public int Count { get { lock (_gate) return _flows.Count; } }

    public void Add(RecordedFlow flow)
    {
        lock (_gate)
        {
            if (_flows.Count >= maxFlows) _flows.Dequeue(); // oldest first: memory stays bounded on long runs
            // Only the first MaxBodyChars bytes are ever written, so only they are kept (bodies may be 32 MiB each).
            _flows.Enqueue(flow with
            {
                RequestBody = Head(flow.RequestBody), RequestBodySize = flow.RequestBodySize,
                ResponseBody = Head(flow.ResponseBody), ResponseBodySize = flow.ResponseBodySize,
            });
        }
    }

    public IReadOnlyList<RecordedFlow> Flows { get { lock (_gate) return _flows.ToList(); } }

    public JsonObject ToHar()
    {
        var entries = new JsonArray();
        foreach (var f in Flows) entries.Add(Entry(f));
        return new JsonObject
        {
            ["log"] = new JsonObject
            {
                ["version"] = "1.2",
                ["creator"] = new JsonObject { ["name"] = "MstgTests proxy", ["version"] = "1.0" },
                ["pages"] = new JsonArray(),
                ["entries"] = entries,
            },
        };
    }

    public void Write(string path) =>
        File.WriteAllText(path, ToHar().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    private JsonObject Entry(RecordedFlow f)
    {
        var request = new JsonObject
        {
            ["method"] = f.Request.Method,
            ["url"] = redactor.Url(f.Url),
            ["httpVersion"] = f.Request.Version,
            ["cookies"] = new JsonArray(),
            ["headers"] = Headers(f.Request.Headers),
            ["queryString"] = Query(f.Url),
            ["headersSize"] = -1,
            ["bodySize"] = f.RequestBodySize,
        };
        if (f.RequestBody.Length > 0)
            request["postData"] = new JsonObject
            {
                ["mimeType"] = f.Request.Headers.Get("Content-Type") ?? "",
                ["text"] = redactor.Body(BodyText(f.RequestBody, out _), f.Request.Headers.Get("Content-Type")),
            };
        var content = new JsonObject
        {
            ["size"] = f.ResponseBodySize,
            ["mimeType"] = f.Response.Headers.Get("Content-Type") ?? "",
        };
        var text = BodyText(f.ResponseBody, out var base64);
        content["text"] = base64 ? text : redactor.Body(text, f.Response.Headers.Get("Content-Type"));
        if (base64) content["encoding"] = "base64";
        return new JsonObject
        {
            ["startedDateTime"] = f.Started.ToString("o"),
            ["time"] = f.SendMs + f.WaitMs + f.ReceiveMs,
            ["request"] = request,
            ["response"] = new JsonObject
            {
                ["status"] = f.Response.Status,
                ["statusText"] = f.Response.Reason,
                ["httpVersion"] = f.Response.Version,
                ["cookies"] = new JsonArray(),
                ["headers"] = Headers(f.Response.Headers),
                ["content"] = content,
                ["redirectURL"] = redactor.Url(f.Response.Headers.Get("Location") ?? ""),
                ["headersSize"] = -1,
                ["bodySize"] = f.ResponseBodySize,
            },
            ["cache"] = new JsonObject(),
            ["timings"] = new JsonObject { ["send"] = f.SendMs, ["wait"] = f.WaitMs, ["receive"] = f.ReceiveMs },
            ["serverIPAddress"] = f.ServerAddress,
            ["connection"] = f.ConnectionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private JsonArray Headers(HttpHeaders headers)
    {
        var array = new JsonArray();
        foreach (var (name, value) in headers)
            array.Add(new JsonObject { ["name"] = name, ["value"] = redactor.Header(name, value) });
        return array;
    }

    private JsonArray Query(string url)
    {
        var array = new JsonArray();
        var hash = url.IndexOf('#');
        if (hash >= 0) url = url[..hash];
        var q = url.IndexOf('?');
        if (q < 0) return array;
        foreach (var pair in url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Unescape(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
            array.Add(new JsonObject { ["name"] = name, ["value"] = redactor.QueryValue(name, value) });
        }
        return array;
    }

    private static string Unescape(string s)
    {
        try { return Uri.UnescapeDataString(s.Replace('+', ' ')); }
        catch (UriFormatException) { return s; }
    }

    // One byte past the limit is kept so BodyText still sees that the body was cut.
    private static byte[] Head(byte[] body) => body.Length > MaxBodyChars ? body[..(MaxBodyChars + 1)] : body;

    private static string BodyText(byte[] body, out bool base64)
    {
        var slice = body.Length > MaxBodyChars ? body.AsSpan(0, MaxBodyChars) : body;
        try
        {
            base64 = false;
            return new UTF8Encoding(false, true).GetString(slice);
        }
        catch (DecoderFallbackException)
        {
            base64 = true;
            return Convert.ToBase64String(slice);
        }
    }
}
