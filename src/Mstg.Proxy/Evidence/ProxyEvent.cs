using System.Text.Json.Serialization;

namespace Mstg.Proxy.Evidence;

/// <summary>How a connection ended, as far as the condition under test is concerned.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionOutcome>))]
public enum ConnectionOutcome
{
    /// <summary>Client completed the handshake with the presented certificate (it trusted it).</summary>
    Accepted,
    /// <summary>Client aborted the handshake: alert, close or reset.</summary>
    Refused,
    /// <summary>Plain HTTP, either absolute-form or inside a CONNECT tunnel.</summary>
    Cleartext,
    /// <summary>Bytes that were neither TLS nor HTTP.</summary>
    NonTls,
    /// <summary>Out of scope or passthrough: bytes tunnelled to the origin untouched.</summary>
    Tunnelled,
    /// <summary>The proxy gave up (bad ClientHello, origin unreachable, timeout, …).</summary>
    Error,
}

/// <summary>ClientHello summary as it appears in evidence.</summary>
public sealed record ClientHelloSummary(
    string? Sni,
    IReadOnlyList<string> Versions,
    IReadOnlyList<string> CipherSuites,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> SignatureAlgorithms,
    IReadOnlyList<string> Alpn,
    bool OffersOnlyForwardSecret);

/// <summary>The values of <see cref="ProxyEvent.Type"/>.</summary>
public static class EventTypes
{
    public const string Connection = "connection", Flow = "flow", Rejected = "rejected", Condition = "condition";

    public static IReadOnlyList<string> All { get; } = [Connection, Flow, Rejected, Condition];
}

/// <summary>
/// One line of the JSON-lines log. A connection yields one event when it ends; a condition swap yields one too.
/// Fields that do not apply stay null and are left out of the JSON.
/// </summary>
public sealed record ProxyEvent
{
    public required long Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    /// <summary>"connection" (one per connection, when it ends), "flow" (one per relayed request, as it happens), "rejected" (a request refused with 400, as it happens) or "condition" (see <see cref="EventTypes"/>).</summary>
    public required string Type { get; init; }
    /// <summary>For "flow": the Id of the connection event the request belongs to.</summary>
    public long? ConnectionId { get; init; }
    /// <summary>For "flow": the origin's status code.</summary>
    public int? Status { get; init; }
    public ConnectionOutcome? Outcome { get; init; }
    public string? Condition { get; init; }
    /// <summary>
    /// Which setting of the condition the event happened under: 1 for the one the proxy started with, one more for
    /// every change. A "condition" event carries the generation it starts; a connection the one it ran under.
    /// </summary>
    public long? ConditionGeneration { get; init; }
    public string? Client { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public bool? InScope { get; init; }
    public string? Mode { get; init; }
    /// <summary>Transparent mode: the address:port the client dialled (SO_ORIGINAL_DST).</summary>
    public string? OriginalDestination { get; init; }
    public ClientHelloSummary? ClientHello { get; init; }
    public string? NegotiatedProtocol { get; init; }
    public string? NegotiatedCipherSuite { get; init; }
    public string? Alpn { get; init; }
    public int? AlertCode { get; init; }
    public string? AlertName { get; init; }
    /// <summary>"record" when read from the client's plaintext alert record, "tls-library" when only OpenSSL's error text had it (TLS 1.3 alerts are encrypted).</summary>
    public string? AlertSource { get; init; }
    /// <summary>For refusals without an alert: "close" (FIN) or "reset" (RST).</summary>
    public string? TransportEnd { get; init; }
    /// <summary>True once the TLS handshake finished; a refusal with this set happened after the handshake (pinning checks run there).</summary>
    public bool? HandshakeCompleted { get; init; }
    public int? Requests { get; init; }
    public string? Method { get; init; }
    public string? Url { get; init; }
    public string? Detail { get; init; }
    public double? HandshakeMs { get; init; }
    public double? DurationMs { get; init; }
}
