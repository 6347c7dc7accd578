using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;
using Mstg.Proxy.Http;
using Mstg.Tls;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// Inside a CONNECT tunnel: sniff the first bytes, decide (scope × condition × protocol), then either tunnel
/// untouched or intercept, and describe the outcome as one event.
/// </summary>
internal sealed class TunnelSession(ProxyContext ctx, long id, string client, Stream clientStream, byte[] alreadyRead, string host, int port, Stopwatch clock)
{
    /// <summary>Set in transparent mode: the address the client dialled. Upstream goes there unless the host map names the SNI host.</summary>
    public System.Net.IPEndPoint? OriginalDestination { get; init; }

    private string _host = host;

    private long _generation;

    private ProxyEvent Base(ConnectionOutcome outcome, CertificateCondition condition, bool inScope, string mode) => new()
    {
        Id = id, Time = DateTimeOffset.UtcNow, Type = "connection", Outcome = outcome, Client = client,
        Host = _host, Port = port, InScope = inScope, Condition = condition.ToName(), ConditionGeneration = _generation,
        Mode = OriginalDestination is null ? mode : "transparent-" + mode, OriginalDestination = OriginalDestination?.ToString(),
    };

    public async Task<ProxyEvent> RunAsync(CancellationToken stop)
    {
        var (condition, generation, changed) = ctx.Condition.Snapshot();
        _generation = generation;
        var (sniff, sniffed) = await SniffAsync(stop).ConfigureAwait(false);
        // Transparent clients name their host only in the SNI; scope, certificate and evidence use it.
        if (OriginalDestination is not null && sniff.Hello?.ServerName is { Length: > 0 } sni && Uri.CheckHostName(sni) == UriHostNameType.Dns)
            _host = sni.ToLowerInvariant();
        var inScope = ctx.Scope.Matches(_host);
        var summary = sniff.Hello is { } hello ? Summarize(hello) : null;

        // Only in-scope connections follow the condition, and only they are closed when it changes.
        using var linked = inScope ? CancellationTokenSource.CreateLinkedTokenSource(stop, changed) : CancellationTokenSource.CreateLinkedTokenSource(stop);
        var ct = linked.Token;

        try
        {
            return await DecideAsync(condition, inScope, sniff, summary, sniffed, ct).ConfigureAwait(false);
        }
        catch (ProxyProtocolException e)
        {
            // Origin unreachable or misbehaving: the connection's event still names host, scope and ClientHello.
            return Base(ConnectionOutcome.Error, condition, inScope, "upstream") with { ClientHello = summary, Detail = e.Message };
        }
    }

    private async Task<ProxyEvent> DecideAsync(CertificateCondition condition, bool inScope, SniffResult sniff, ClientHelloSummary? summary, byte[] sniffed, CancellationToken ct)
    {
        switch (sniff.Kind)
        {
            case SniffKind.Invalid:
                return Base(ConnectionOutcome.Error, condition, inScope, "sniff") with { Detail = $"malformed TLS: {sniff.Problem}" };
            case SniffKind.NeedMore:
                return Base(ConnectionOutcome.Error, condition, inScope, "sniff") with { Detail = sniffed.Length == 0 ? "client sent nothing" : $"client stopped after {sniffed.Length} bytes of a ClientHello" };
            case SniffKind.Http:
                return await RelayCleartextAsync(condition, inScope, sniffed, ct).ConfigureAwait(false);
            case SniffKind.Other:
                await TunnelAsync(sniffed, ct).ConfigureAwait(false);
                return Base(ConnectionOutcome.NonTls, condition, inScope, "tunnel") with
                {
                    Detail = "first bytes: " + Convert.ToHexString(sniffed.AsSpan(0, Math.Min(16, sniffed.Length))).ToLowerInvariant(),
                };
        }

        // Out of scope, or a condition that presents no certificate (passthrough): the origin's bytes, untouched.
        if (!inScope || !ConditionCatalog.For(condition).Intercepts)
        {
            var bytes = await TunnelAsync(sniffed, ct).ConfigureAwait(false);
            return Base(ConnectionOutcome.Tunnelled, condition, inScope, "passthrough") with
            {
                ClientHello = summary, Detail = $"{bytes.Up} bytes up, {bytes.Down} bytes down",
                NegotiatedProtocol = _serverChoice is { } choice ? TlsNames.Version(choice.Version) : null,
                NegotiatedCipherSuite = _serverChoice is { } c ? TlsNames.CipherSuite(c.CipherSuite) : null,
            };
        }
        try
        {
            return await InterceptAsync(condition, sniff.Hello!, summary!, sniffed, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Base(ConnectionOutcome.Error, condition, inScope, "intercept") with
            {
                ClientHello = summary, Detail = $"internal error: {e.GetType().Name}: {e.Message}",
            };
        }
    }

    private async Task<(SniffResult, byte[])> SniffAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(ctx.Options.HandshakeTimeout);
        var buffer = new MemoryStream();
        buffer.Write(alreadyRead);
        var chunk = new byte[4096];
        while (true)
        {
            var result = ClientHelloParser.Sniff(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (result.Kind != SniffKind.NeedMore) return (result, buffer.ToArray());
            if (buffer.Length > ClientHelloParser.MaxHelloBytes + 1024)
                return (new SniffResult(SniffKind.Invalid, Problem: "ClientHello too large"), buffer.ToArray());
            int n;
            try
            {
                n = await clientStream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                return (SniffResult.NeedMore, buffer.ToArray());
            }
            if (n == 0) return (SniffResult.NeedMore, buffer.ToArray());
            buffer.Write(chunk, 0, n);
        }
    }

    internal static ClientHelloSummary Summarize(ClientHelloInfo hello) => new(
        hello.ServerName,
        hello.OfferedVersionNames,
        hello.CipherSuites.Select(TlsNames.CipherSuite).ToList(),
        hello.SupportedGroups.Select(g => $"0x{g:x4}").ToList(),
        hello.SignatureAlgorithms.Select(s => $"0x{s:x4}").ToList(),
        hello.Alpn,
        hello.CipherSuites.Count > 0 && hello.CipherSuites.All(TlsNames.IsForwardSecret));

    private (ushort Version, ushort CipherSuite)? _serverChoice;

    private async Task<(long Up, long Down)> TunnelAsync(byte[] sniffed, CancellationToken ct)
    {
        var serverBytes = new MemoryStream();
        var watching = sniffed.Length > 0 && sniffed[0] == 0x16;
        var (upstream, _) = await ctx.Upstream.ConnectTcpAsync(_host, port, ct, OriginalDestination).ConfigureAwait(false);
        await using (upstream.ConfigureAwait(false))
        {
            await upstream.WriteAsync(sniffed, ct).ConfigureAwait(false);
            long up = sniffed.Length, down = 0;
            var toOrigin = Pump(clientStream, upstream, n => up += n, ct);
            var toClient = Pump(upstream, clientStream, n => down += n, ct, chunk =>
            {
                // Watch the origin's first bytes for its ServerHello; stop after 16 KiB or a verdict.
                if (!watching) return;
                serverBytes.Write(chunk.Span);
                _serverChoice = ServerHelloParser.TryParse(serverBytes.GetBuffer().AsSpan(0, (int)serverBytes.Length), out var giveUp);
                if (_serverChoice is not null || giveUp || serverBytes.Length > 16 * 1024) watching = false;
            });
            // A side that finished sending is passed on at once as a half-close (FIN), so the other side sees EOF
            // exactly when it would without the proxy; the other direction may still run (RFC 9293 half-close).
            var clientSocket = (clientStream as System.Net.Sockets.NetworkStream)?.Socket;
            var originDone = toClient.ContinueWith(_ => ShutdownSend(clientSocket), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var clientDone = toOrigin.ContinueWith(_ => ShutdownSend(upstream.Socket), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await Task.WhenAny(originDone, clientDone).ConfigureAwait(false);
            // A peer that never finishes after the other side's FIN cannot hold the tunnel forever.
            await Task.WhenAll(originDone, clientDone).WaitAsync(HalfCloseTimeout, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return (up, down);
        }
    }

    /// <summary>How long the remaining direction of a tunnel may run after the other one ended (cf. HAProxy's "timeout client-fin").</summary>
    internal static readonly TimeSpan HalfCloseTimeout = TimeSpan.FromSeconds(30);

    private static void ShutdownSend(System.Net.Sockets.Socket? socket)
    {
        try { socket?.Shutdown(System.Net.Sockets.SocketShutdown.Send); }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException) { } // already closed or reset
    }

    private static async Task Pump(Stream from, Stream to, Action<int> count, CancellationToken ct, Action<ReadOnlyMemory<byte>>? observe = null)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                observe?.Invoke(buffer.AsMemory(0, n));
                await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                count(n);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task<ProxyEvent> RelayCleartextAsync(CertificateCondition condition, bool inScope, byte[] sniffed, CancellationToken ct)
    {
        var replay = new HandshakeTapStream(clientStream, sniffed, captureLimit: 0);
        var reader = new HttpMessageReader(replay, client, ctx.Options.Limits);
        string? firstMethod = null, firstUrl = null;
        var loop = new HttpExchangeLoop(ctx, id, replay, reader, tls: false, fixedOrigin: (_host, port), OriginalDestination)
        {
            OnRequest = (head, url) => { firstMethod ??= head.Method; firstUrl ??= url; },
        };
        await using (loop.ConfigureAwait(false))
        {
            try { await loop.RunAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or OperationCanceledException or ProxyProtocolException) { }
        }
        return Base(ConnectionOutcome.Cleartext, condition, inScope, "connect-http") with
        {
            Method = firstMethod, Url = firstUrl is null ? null : ctx.Redactor.Url(firstUrl), Requests = loop.Requests,
            Detail = loop.RejectedReason,
        };
    }

    private async Task<ProxyEvent> InterceptAsync(CertificateCondition condition, ClientHelloInfo hello, ClientHelloSummary summary, byte[] sniffed, CancellationToken ct)
    {
        // SNI is client-controlled and becomes a certificate subject and a cache key: only a DNS name or IP is used.
        var certHost = hello.ServerName is { } sni && Uri.CheckHostName(sni) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6 ? sni : _host;
        var evt = Base(ConnectionOutcome.Refused, condition, true, "intercept") with { ClientHello = summary };
        var tap = new HandshakeTapStream(clientStream, sniffed);
        var ssl = new SslStream(tap, leaveInnerStreamOpen: true);
        await using var _ = ssl.ConfigureAwait(false);
        // Held for the whole connection: the bounded cache may evict the certificate meanwhile, but never disposes it under a live SslStream.
        using var lease = ctx.Leaves.Rent(certHost, condition);
        var handshakeStart = clock.Elapsed;
        try
        {
            var options = ConditionTlsOptions.For(condition, lease.Context);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ctx.Options.HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            return DescribeRefusal(evt, tap, e, ct) with { HandshakeMs = (clock.Elapsed - handshakeStart).TotalMilliseconds };
        }
        tap.StopRecording();
        evt = evt with
        {
            Outcome = ConnectionOutcome.Accepted,
            HandshakeCompleted = true,
            HandshakeMs = (clock.Elapsed - handshakeStart).TotalMilliseconds,
            NegotiatedProtocol = TlsNames.Version(ssl.SslProtocol),
            NegotiatedCipherSuite = ssl.NegotiatedCipherSuite.ToString(),
            Alpn = ssl.NegotiatedApplicationProtocol.ToString(),
        };
        var reader = new HttpMessageReader(ssl, client, ctx.Options.Limits);
        var loop = new HttpExchangeLoop(ctx, id, ssl, reader, tls: true, fixedOrigin: (certHost, port), OriginalDestination);
        string? detail = null;
        await using (loop.ConfigureAwait(false))
        {
            try { await loop.RunAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            catch (OperationCanceledException) { detail = "closed by condition change or shutdown"; }
            catch (Exception e) when (e is IOException or ProxyProtocolException or AuthenticationException) { detail = e.Message; }
        }
        // Tell the client the response is complete; a TCP close alone reads as truncation to strict TLS clients.
        await TlsClose.SendCloseNotifyAsync(ssl).ConfigureAwait(false);
        // A request refused for its framing still shows the client trusted the certificate: not a post-handshake refusal.
        detail ??= loop.RejectedReason;
        if (loop.Received == 0 && loop.Rejected == 0 && !ct.IsCancellationRequested)
        {
            // The client finished the handshake and then left without a single request. That is how a client
            // that pins (or checks the certificate after the handshake) refuses: curl --pinnedpubkey, NSURLSession
            // delegates, TrustKit. Recorded as a refusal, with HandshakeCompleted telling it apart from a TLS alert.
            return evt with
            {
                Outcome = ConnectionOutcome.Refused, Requests = 0,
                TransportEnd = tap.End == TransportEnd.Reset ? "reset" : "close",
                Detail = "closed after the handshake without a request (post-handshake rejection such as pinning)" + (detail is null ? "" : ": " + detail),
            };
        }
        return evt with { Requests = loop.Requests, Detail = detail };
    }

    /// <summary>
    /// Works out why the handshake failed, best evidence first: the client's plaintext alert record; the alert
    /// named in the TLS library's error (TLS 1.3 encrypts alerts); an alert this proxy sent because nothing was
    /// shared (version/cipher); else how the transport ended (close vs reset) or the timeout.
    /// </summary>
    private ProxyEvent DescribeRefusal(ProxyEvent evt, HandshakeTapStream tap, Exception e, CancellationToken ct)
    {
        var message = string.Join(" | ", Chain(e).Select(x => x.Message).Distinct());
        if (AlertScanner.FindPlaintextAlert(tap.CapturedInbound) is { } alert)
            return evt with { AlertCode = alert.Description, AlertName = TlsNames.Alert(alert.Description), AlertSource = "record", Detail = message };
        if (TlsNames.AlertFromOpenSslMessage(message) is { } code)
            return evt with { AlertCode = code, AlertName = TlsNames.Alert(code), AlertSource = "tls-library", Detail = message };
        if (message.Contains("unsupported protocol", StringComparison.OrdinalIgnoreCase) || message.Contains("version too low", StringComparison.OrdinalIgnoreCase))
            return evt with { AlertCode = 70, AlertName = "protocol_version", AlertSource = "sent-by-proxy", Detail = "no TLS version in common: " + message };
        if (message.Contains("no shared cipher", StringComparison.OrdinalIgnoreCase) || message.Contains("no suitable", StringComparison.OrdinalIgnoreCase))
            return evt with { AlertCode = 40, AlertName = "handshake_failure", AlertSource = "sent-by-proxy", Detail = "no cipher suite in common: " + message };
        if (e is OperationCanceledException)
            return evt with { Outcome = ct.IsCancellationRequested ? ConnectionOutcome.Error : ConnectionOutcome.Refused, TransportEnd = "timeout", Detail = "handshake did not complete in time" };
        var end = tap.End switch { TransportEnd.Reset => "reset", TransportEnd.Eof => "close", _ => null };
        return evt with { TransportEnd = end, Detail = message };
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
