using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Mstg.Tls.Raw;

/// <summary>Bounds for reading one server flight.</summary>
public sealed record FlightLimits
{
    /// <summary>Largest flight read (a certificate chain of a few certificates is 5–15 KB; 256 KB is generous).</summary>
    public int MaxBytes { get; init; } = 256 * 1024;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public static readonly FlightLimits Default = new();
}

/// <summary>
/// Reads a server's answer to a probing ClientHello record by record, forward only and bounded: ServerHello,
/// Certificate, ServerKeyExchange, CertificateStatus up to ServerHelloDone for TLS ≤ 1.2; ServerHello or
/// HelloRetryRequest for TLS 1.3 (everything after it is encrypted). Every way it can go wrong is an outcome,
/// never an exception, so a hostile server is just another result.
/// </summary>
public static class ServerFlightReader
{
    // SHA-256("HelloRetryRequest"), the fixed random of an HRR (RFC 8446 4.1.3).
    private static readonly byte[] HrrRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    /// <summary>Sends <paramref name="hello"/> on <paramref name="stream"/> and reads the answer.</summary>
    public static async Task<ServerFlight> ExchangeAsync(Stream stream, byte[] hello, FlightLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= FlightLimits.Default;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limits.Timeout);
        var state = new State();
        try
        {
            await stream.WriteAsync(hello, deadline.Token).ConfigureAwait(false);
            await stream.FlushAsync(deadline.Token).ConfigureAwait(false);
            return await ReadAsync(stream, limits, state, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return state.Partial(FlightOutcome.TimedOut, $"no complete answer within {limits.Timeout.TotalSeconds:0.#} s");
        }
        catch (IOException e)
        {
            var se = e.InnerException as SocketException;
            return Reset(state.Partial(FlightOutcome.Closed, se is not null ? $"connection {se.SocketErrorCode}" : e.Message), se);
        }
        catch (SocketException e)
        {
            return Reset(state.Partial(FlightOutcome.Closed, $"connection {e.SocketErrorCode}"), e);
        }
    }

    private static ServerFlight Reset(ServerFlight flight, SocketException? e) =>
        flight.Outcome == FlightOutcome.Closed && e?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted ? flight with { WasReset = true } : flight;

    private sealed class State
    {
        public int Bytes;
        public ServerFlight? Hello;
        public List<byte[]> Certificates = [];
        public bool Stapled;
        public ushort? Group;
        public int? DhBits;

        public ServerFlight Build() => Hello! with { Certificates = Certificates, OcspStapled = Stapled, Group = Hello!.Group ?? Group, DhBits = DhBits, BytesRead = Bytes };

        // A hello already read is still an answer even if the rest of the flight never came (noted when the chain is missing).
        public ServerFlight Partial(FlightOutcome outcome, string problem) =>
            Hello is not null && outcome is FlightOutcome.Closed or FlightOutcome.TimedOut
                ? Build() with { Problem = Certificates.Count > 0 ? null : $"flight ended early: {problem}" }
                : new ServerFlight { Outcome = outcome, Problem = problem, BytesRead = Bytes };
    }

    private static async Task<ServerFlight> ReadAsync(Stream stream, FlightLimits limits, State state, CancellationToken ct)
    {
        var handshake = new List<byte>();
        var header = new byte[5];
        var first = true;
        while (true)
        {
            var got = await ReadExactlyOrEndAsync(stream, header, ct).ConfigureAwait(false);
            if (got == 0)
                return state.Hello is not null ? state.Build() : state.Partial(FlightOutcome.Closed, first ? "closed without answering" : "closed mid-flight");
            if (got < 5)
                return first && !LooksLikeTls(header.AsSpan(0, got))
                    ? NotTls(header.AsSpan(0, got), state)
                    : state.Partial(FlightOutcome.Malformed, $"truncated record header ({got} of 5 bytes)");
            if (first && !LooksLikeTls(header)) return NotTls(header, state);
            first = false;
            var type = header[0];
            var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3));
            if (length > 16384 + 2048) return state.Partial(FlightOutcome.Malformed, $"record length {length} exceeds the TLS maximum");
            state.Bytes += 5 + length;
            if (state.Bytes > limits.MaxBytes) return state.Partial(FlightOutcome.TooLarge, $"more than {limits.MaxBytes} bytes before the flight ended");
            var body = new byte[length];
            var read = await ReadExactlyOrEndAsync(stream, body, ct).ConfigureAwait(false);
            if (read < length) return state.Partial(FlightOutcome.Malformed, $"truncated record: {read} of {length} bytes");

            switch (type)
            {
                case 21: // alert
                    if (state.Hello is not null) return state.Build();
                    return length >= 2
                        ? new ServerFlight { Outcome = FlightOutcome.Alert, Alert = body[1], Problem = $"alert {TlsNames.Alert(body[1])}", BytesRead = state.Bytes }
                        : state.Partial(FlightOutcome.Malformed, "alert record shorter than 2 bytes");
                case 20: // change_cipher_spec (TLS 1.3 compatibility mode) or the encrypted part begins
                case 23:
                    if (state.Hello is not null) return state.Build();
                    return state.Partial(FlightOutcome.Malformed, $"record type {type} before any ServerHello");
                case 22:
                    handshake.AddRange(body);
                    if (handshake.Count > limits.MaxBytes) return state.Partial(FlightOutcome.TooLarge, "handshake messages exceed the byte limit");
                    var done = ConsumeMessages(handshake, state);
                    if (done is not null) return done;
                    break;
                default:
                    return state.Partial(FlightOutcome.Malformed, $"unknown record type {type}");
            }
        }
    }

    /// <summary>Parses every complete handshake message at the front of <paramref name="buffer"/>; a result when the flight is over.</summary>
    private static ServerFlight? ConsumeMessages(List<byte> buffer, State state)
    {
        while (buffer.Count >= 4)
        {
            var msgType = buffer[0];
            var len = (buffer[1] << 16) | (buffer[2] << 8) | buffer[3];
            if (buffer.Count < 4 + len) return null;
            var msg = buffer.GetRange(4, len).ToArray();
            buffer.RemoveRange(0, 4 + len);
            try
            {
                switch (msgType)
                {
                    case 2:
                        if (state.Hello is not null) return state.Partial(FlightOutcome.Malformed, "a second ServerHello");
                        state.Hello = ParseServerHello(msg);
                        // Under TLS 1.3 everything after the ServerHello is encrypted; a HelloRetryRequest ends the exchange too.
                        if (state.Hello.Version == TlsCatalog.Tls13 || state.Hello.IsHelloRetryRequest) return state.Build();
                        break;
                    case 11:
                        if (state.Hello is null) return state.Partial(FlightOutcome.Malformed, "Certificate before ServerHello");
                        state.Certificates = ParseCertificates(msg);
                        break;
                    case 12:
                        ParseServerKeyExchange(msg, state);
                        break;
                    case 22:
                        state.Stapled = msg.Length > 4 && msg[0] == 1;
                        break;
                    case 14:
                        if (state.Hello is null) return state.Partial(FlightOutcome.Malformed, "ServerHelloDone before ServerHello");
                        return state.Build();
                    case 0: // hello_request: ignore
                        break;
                    default:
                        if (state.Hello is null) return state.Partial(FlightOutcome.Malformed, $"handshake message {msgType} where a ServerHello belongs");
                        break;
                }
            }
            catch (FormatException e)
            {
                return state.Partial(FlightOutcome.Malformed, e.Message);
            }
        }
        return null;
    }

    private static ServerFlight ParseServerHello(byte[] msg)
    {
        var r = new WireReader(msg, "ServerHello");
        var version = r.U16();
        var random = r.Bytes(32);
        r.Skip(r.U8());
        var suite = r.U16();
        r.U8();
        var hrr = random.AsSpan().SequenceEqual(HrrRandom);
        ushort? group = null;
        string? alpn = null;
        var sct = false;
        var types = new List<ushort>();
        if (r.Remaining > 0)
        {
            var exts = r.Sub(r.U16(), "ServerHello extensions");
            while (exts.Remaining > 0)
            {
                var type = exts.U16();
                var e = exts.Sub(exts.U16(), $"extension {type}");
                types.Add(type);
                switch (type)
                {
                    case 43: version = e.U16(); break;
                    case 51: group = e.U16(); break;
                    case 16:
                        var list = e.Sub(e.U16(), "alpn");
                        alpn = Encoding.ASCII.GetString(list.Bytes(list.U8()));
                        break;
                    case 18: sct = e.Remaining > 0; break;
                }
            }
        }
        return new ServerFlight
        {
            Outcome = FlightOutcome.Hello, Version = version, CipherSuite = suite, IsHelloRetryRequest = hrr,
            Group = group, Alpn = alpn, SctInExtension = sct, ExtensionTypes = types,
        };
    }

    private static List<byte[]> ParseCertificates(byte[] msg)
    {
        var r = new WireReader(msg, "Certificate");
        var list = r.Sub(r.U24(), "certificate_list");
        var certs = new List<byte[]>();
        while (list.Remaining > 0) certs.Add(list.Bytes(list.U24()));
        return certs;
    }

    private static void ParseServerKeyExchange(byte[] msg, State state)
    {
        if (state.Hello?.CipherSuite is not { } suite) return;
        var name = TlsNames.CipherSuite(suite);
        var r = new WireReader(msg, "ServerKeyExchange");
        if (name.Contains("_ECDHE_", StringComparison.Ordinal) || name.Contains("_ECDH_anon_", StringComparison.Ordinal))
        {
            if (r.U8() == 3) state.Group = r.U16();
        }
        else if (name.Contains("_DHE_", StringComparison.Ordinal) || name.Contains("_DH_anon_", StringComparison.Ordinal))
        {
            var p = r.Bytes(r.U16());
            var skip = p.TakeWhile(b => b == 0).Count();
            state.DhBits = (p.Length - skip) * 8;
        }
    }

    private static bool LooksLikeTls(ReadOnlySpan<byte> h) =>
        h.Length >= 1 && h[0] is >= 20 and <= 23 && (h.Length < 2 || h[1] == 3) && (h.Length < 3 || h[2] <= 4);

    private static ServerFlight NotTls(ReadOnlySpan<byte> start, State state)
    {
        var text = new string(Encoding.ASCII.GetString(start).Select(c => c is >= ' ' and <= '~' ? c : '.').ToArray());
        return new ServerFlight { Outcome = FlightOutcome.NotTls, Problem = $"the answer is not TLS (starts with \"{text}\")", BytesRead = state.Bytes + start.Length };
    }

    private static async Task<int> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
