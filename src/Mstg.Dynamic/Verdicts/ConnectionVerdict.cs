using System.Text.Json.Serialization;

namespace Mstg.Dynamic.Verdicts;

/// <summary>What the app did with its connections to one host while one condition was set.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionVerdictKind>))]
public enum ConnectionVerdictKind
{
    /// <summary>The app sent at least one request over an intercepted connection: it trusted what the proxy presented.</summary>
    Accepted,
    /// <summary>Every intercepted connection ended without a request (see <see cref="RefusalKind"/> for how).</summary>
    Refused,
    /// <summary>No connection to the host was seen in the window, or none that says anything: not applicable, never a pass.</summary>
    NoTraffic,
}

/// <summary>How a refusal happened. None of them needs an alert: all three are refusals.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefusalKind>))]
public enum RefusalKind
{
    /// <summary>The client sent a TLS alert during the handshake (its name is in the verdict).</summary>
    TlsAlert,
    /// <summary>The client closed or reset the connection during the handshake without an alert (Node does this).</summary>
    SilentClose,
    /// <summary>The handshake completed, then the client closed without a request (a pin or name check after the handshake).</summary>
    ClosedAfterHandshake,
    /// <summary>The client offered nothing the condition allows (no TLS 1.0, no RSA key exchange): the proxy ended the handshake.</summary>
    NothingInCommon,
}

/// <summary>One ClientHello as evidence: what the app offered.</summary>
public sealed record OfferedHello(string? Sni, IReadOnlyList<string> Versions, IReadOnlyList<string> CipherSuites, bool OffersOnlyForwardSecret);

/// <summary>One connection of the window, reduced to what a reviewer reads.</summary>
public sealed record ConnectionEvidence(long Id, string Outcome, int? Requests, bool HandshakeCompleted, string? Alert, string? AlertSource,
    string? TransportEnd, string? Negotiated, string? Detail);

/// <summary>The evidence behind a verdict: the connections, what the ClientHellos offered, the URLs requested.</summary>
public sealed record VerdictEvidence(
    IReadOnlyList<ConnectionEvidence> Connections,
    IReadOnlyList<OfferedHello> Hellos,
    IReadOnlyList<string> Urls)
{
}

/// <summary>The verdict of one host under one condition.</summary>
/// <param name="Alert">The alert name for <see cref="RefusalKind.TlsAlert"/> and <see cref="RefusalKind.NothingInCommon"/> (e.g. <c>unknown_ca</c>).</param>
public sealed record ConnectionVerdict(string Host, string Condition, ConnectionVerdictKind Kind, RefusalKind? How, string? Alert, VerdictEvidence Evidence)
{
    /// <summary>One line: <c>api.example.com under untrusted-ca: refused (TLS alert unknown_ca)</c>.</summary>
    public string Describe() => $"{Host} under {Condition}: {Kind switch
    {
        ConnectionVerdictKind.Accepted => $"accepted ({Evidence.Connections.Count(c => c.Outcome == "Accepted")} connection(s) carried requests{(Evidence.Urls.Count > 0 ? ": " + string.Join(", ", Evidence.Urls.Take(3)) : "")})",
        ConnectionVerdictKind.Refused => $"refused ({HowText})",
        _ => "no traffic seen",
    }}";

    private string HowText => How switch
    {
        RefusalKind.TlsAlert => $"TLS alert {Alert}",
        RefusalKind.SilentClose => "closed during the handshake without an alert",
        RefusalKind.ClosedAfterHandshake => "handshake completed, then closed without a request",
        RefusalKind.NothingInCommon => $"offered nothing the condition allows; the proxy ended the handshake with {Alert}",
        _ => "?",
    };
}
