using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Mstg.Suites.Tests;

/// <summary>
/// A stand-in for a device farm's W3C hub on loopback (no farm and no iOS device can run here): it records the body of
/// every new-session request and refuses the session, so a suite run sends exactly what it would send to the farm.
/// </summary>
public sealed class LoopbackW3cHub : IDisposable
{
    public const string Refusal = "loopback W3C hub: no device here";
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public LoopbackW3cHub()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/wd/hub");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>The <c>capabilities</c> of every new-session request received.</summary>
    public ConcurrentQueue<JsonObject> Sessions { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                if (context.Request.HttpMethod == "POST" && context.Request.Url!.AbsolutePath.EndsWith("/session", StringComparison.Ordinal)
                    && JsonNode.Parse(body)?["capabilities"] is JsonObject capabilities)
                    Sessions.Enqueue(capabilities);
            }
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(
                $$$"""{"value":{"error":"session not created","message":"{{{Refusal}}}","stacktrace":""}}"""));
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
