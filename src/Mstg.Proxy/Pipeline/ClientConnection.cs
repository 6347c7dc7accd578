using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Http;
using Mstg.Tls;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// One accepted client socket. Stage 1 reads the explicit-proxy request (CONNECT or absolute-form); a CONNECT
/// continues in <see cref="TunnelSession"/>, absolute-form requests are relayed as recorded cleartext.
/// Every path ends in exactly one evidence event.
/// </summary>
internal sealed class ClientConnection(ProxyContext ctx, Socket socket)
{
    private readonly long _id = ctx.Events.NextId();
    private readonly string _client = socket.RemoteEndPoint?.ToString() ?? "?";
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task RunAsync(CancellationToken stop)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        ProxyEvent? outcome = null;
        try
        {
            if (ctx.Options.Transparent)
            {
                outcome = await RunTransparentAsync(stream, stop).ConfigureAwait(false);
                return;
            }
            var reader = new HttpMessageReader(stream, _client, ctx.Options.Limits);
            var head = await reader.ReadRequestHeadAsync(stop).ConfigureAwait(false);
            if (head is null) return; // connected and left without a byte: nothing to record
            if (!await AuthorizedAsync(stream, head, stop).ConfigureAwait(false))
            {
                outcome = Event(ConnectionOutcome.Error) with { Method = head.Method, Url = head.Target, Detail = "proxy authentication required" };
                return;
            }
            if (head.Method == "CONNECT")
            {
                var (host, port) = ParseAuthority(head.Target);
                if (await ctx.Upstream.LoopReasonAsync(host, port, stop).ConfigureAwait(false) is { } loop)
                {
                    await HttpExchangeLoop.WriteSimpleAsync(stream, 508, "Loop Detected", loop + "\n", stop, null, ("Connection", "close")).ConfigureAwait(false);
                    outcome = Event(ConnectionOutcome.Error) with { Host = host, Port = port, Mode = "connect", Method = "CONNECT", Detail = "loop detected: " + loop };
                    return;
                }
                await stream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), stop).ConfigureAwait(false);
                var session = new TunnelSession(ctx, _id, _client, stream, reader.Buffered.ToArray(), host, port, _clock);
                outcome = await session.RunAsync(stop).ConfigureAwait(false);
            }
            else
            {
                outcome = await RelayAbsoluteFormAsync(stream, reader, head, stop).ConfigureAwait(false);
            }
        }
        catch (ProxyProtocolException e)
        {
            outcome = Event(ConnectionOutcome.Error) with { Detail = e.Message };
            // Only the client's own malformed request earns it an error response; origin failures already got a 502.
            if (e.Source == _client || e.Source == "client")
            {
                var timedOut = e.Problem.StartsWith("not complete", StringComparison.Ordinal);
                await HttpExchangeLoop.WriteSimpleAsync(stream, timedOut ? 408 : 400, timedOut ? "Request Timeout" : "Bad Request",
                    e.Problem + "\n", CancellationToken.None, null, ("Connection", "close")).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            outcome ??= Event(ConnectionOutcome.Error) with { Detail = $"connection ended: {e.GetType().Name}: {e.Message}" };
        }
        catch (Exception e)
        {
            // A bug or an unexpected library error must cost one connection and leave evidence, never the proxy.
            outcome = Event(ConnectionOutcome.Error) with { Detail = $"internal error: {e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            if (outcome is not null) ctx.Events.Append(outcome with { DurationMs = _clock.Elapsed.TotalMilliseconds });
        }
    }

    /// <summary>No proxy request to read: the destination comes from the socket, then the tunnel stages run as for CONNECT.</summary>
    private async Task<ProxyEvent> RunTransparentAsync(Stream stream, CancellationToken stop)
    {
        if (OriginalDestination.Read(socket) is not { } destination)
            return Event(ConnectionOutcome.Error) with { Mode = "transparent", Detail = "no original destination: connection was not redirected to the proxy" };
        var session = new TunnelSession(ctx, _id, _client, stream, [], destination.Address.ToString(), destination.Port, _clock)
        {
            OriginalDestination = destination,
        };
        return await session.RunAsync(stop).ConfigureAwait(false);
    }

    private ProxyEvent Event(ConnectionOutcome outcome) => new()
    {
        Id = _id, Time = DateTimeOffset.UtcNow, Type = "connection", Outcome = outcome, Client = _client,
        Condition = ctx.Condition.Current.ToName(), ConditionGeneration = ctx.Condition.Generation,
    };

    private async Task<bool> AuthorizedAsync(Stream stream, HttpRequestHead head, CancellationToken ct)
    {
        if (ctx.Options.ProxyCredentials is not { } cred) return true;
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.UserName}:{cred.Password}"));
        if (BasicCredentials(head.Headers.Get("Proxy-Authorization")) is { } given && CryptographicEquals(given, expected)) return true;
        await HttpExchangeLoop.WriteSimpleAsync(stream, 407, "Proxy Authentication Required", "proxy authentication required\n", ct,
            null, ("Proxy-Authenticate", "Basic realm=\"mstg proxy\""), ("Connection", "close")).ConfigureAwait(false);
        return false;
    }

    /// <summary>The token of a Basic credential. Auth schemes are case-insensitive (RFC 9110 §11.1): "basic" and "BASIC" count.</summary>
    internal static string? BasicCredentials(string? header)
    {
        if (header is null) return null;
        var parts = header.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        return parts is [var scheme, var token] && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? token.Trim() : null;
    }

    private static bool CryptographicEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    internal static (string Host, int Port) ParseAuthority(string authority)
    {
        // host:port, [v6]:port
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || colon == authority.Length - 1 || authority.EndsWith(']'))
            throw new ProxyProtocolException("client", "CONNECT target", $"'{authority}' is not host:port");
        var host = authority[..colon].Trim('[', ']');
        if (!int.TryParse(authority[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new ProxyProtocolException("client", "CONNECT target", $"bad port in '{authority}'");
        if (host.Length == 0 || host.Length > 253 || host.Any(c => char.IsWhiteSpace(c) || c == '/'))
            throw new ProxyProtocolException("client", "CONNECT target", $"bad host in '{authority}'");
        return (host.ToLowerInvariant(), port);
    }

    /// <summary>Absolute-form requests are cleartext by definition: relay, record, and log each one as Cleartext.</summary>
    private async Task<ProxyEvent?> RelayAbsoluteFormAsync(Stream stream, HttpMessageReader reader, HttpRequestHead first, CancellationToken ct)
    {
        string? lastHost = null;
        var loop = new HttpExchangeLoop(ctx, _id, stream, reader, tls: false, fixedOrigin: null)
        {
            FirstRequest = first,
            LocalHandler = (head, host, url) => WellKnownEndpoint.TryServeAsync(ctx, stream, head, host, ct),
            OnRequest = (head, url) =>
            {
                lastHost = new Uri(url).Host;
                ctx.Events.Append(Event(ConnectionOutcome.Cleartext) with
                {
                    Id = ctx.Events.NextId(), Host = lastHost, Port = new Uri(url).Port, InScope = ctx.Scope.Matches(lastHost),
                    Mode = "absolute-form", Method = head.Method, Url = ctx.Redactor.Url(url),
                });
            },
        };
        await using (loop.ConfigureAwait(false))
            await loop.RunAsync(ct).ConfigureAwait(false);
        return null; // each request already has its own Cleartext event
    }
}
