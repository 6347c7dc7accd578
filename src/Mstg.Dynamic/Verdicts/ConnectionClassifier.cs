using System.Globalization;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Evidence;

namespace Mstg.Dynamic.Verdicts;

/// <summary>
/// Turns the connection events of one window into the verdict for one host. Pure: the caller takes the window.
/// Accepted means a request went over an intercepted connection (the proxy records such a connection as Accepted; one
/// that completed the handshake and left without a request is recorded as Refused with HandshakeCompleted). In
/// passthrough (and for cleartext) the app talking to the origin through the tunnel counts as accepted too: it is what
/// "traffic seen" means there; under any other condition plain HTTP to the host is no evidence either way. One accepted connection is enough to call the host accepted: a client that refuses the
/// first connection and retries until one works has still sent its request to the interceptor.
/// </summary>
public static class ConnectionClassifier
{
    public static ConnectionVerdict Classify(string host, string condition, IEnumerable<ProxyEvent> window)
    {
        var events = window.ToList();
        var connections = events
            .Where(e => e.Type == "connection" && HostMatches(e.Host, host) && string.Equals(e.Condition, condition, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Id).ToList();
        var flows = events.Where(e => e.Type == "flow" && connections.Any(c => c.Id == e.ConnectionId)).ToList();
        var evidence = EvidenceOf(connections, flows);

        // Errors (origin unreachable, a client that sent nothing) say nothing about the client's trust decision. Nor does,
        // under a certificate or TLS condition, plain HTTP to the same host (a page served over http:// whose API calls
        // use https://): the proxy presented neither a certificate nor a protocol on it.
        var passthrough = string.Equals(condition, CertificateCondition.Passthrough.ToName(), StringComparison.OrdinalIgnoreCase);
        var intercepted = connections.Where(c => c.Outcome is not (ConnectionOutcome.Error or null)
            && (passthrough || c.Outcome is not (ConnectionOutcome.Cleartext or ConnectionOutcome.NonTls))).ToList();
        if (intercepted.Any(c => c.Outcome is not ConnectionOutcome.Refused))
            return new ConnectionVerdict(host, condition, ConnectionVerdictKind.Accepted, null, null, evidence);
        if (intercepted.Count == 0)
            return new ConnectionVerdict(host, condition, ConnectionVerdictKind.NoTraffic, null, null, evidence);

        // Several refusals (retries): the most telling one names how, an alert over a bare close.
        var (how, alert) = intercepted.Select(HowRefused).OrderBy(r => Rank(r.How)).First();
        return new ConnectionVerdict(host, condition, ConnectionVerdictKind.Refused, how, alert, evidence);
    }

    /// <summary>How one refused connection ended.</summary>
    public static (RefusalKind How, string? Alert) HowRefused(ProxyEvent refused)
    {
        if (refused.HandshakeCompleted == true) return (RefusalKind.ClosedAfterHandshake, null);
        if (refused.AlertCode is not null)
            return (refused.AlertSource == "sent-by-proxy" ? RefusalKind.NothingInCommon : RefusalKind.TlsAlert, refused.AlertName ?? refused.AlertCode.Value.ToString(CultureInfo.InvariantCulture));
        return (RefusalKind.SilentClose, null);
    }

    private static int Rank(RefusalKind kind) => kind switch
    {
        RefusalKind.TlsAlert => 0,
        RefusalKind.NothingInCommon => 1,
        RefusalKind.ClosedAfterHandshake => 2,
        _ => 3,
    };

    /// <summary>Host names compare case-insensitively; a trailing dot (absolute DNS name) is ignored.</summary>
    public static bool HostMatches(string? seen, string host) =>
        seen is not null && string.Equals(seen.TrimEnd('.'), host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    public static VerdictEvidence EvidenceOf(IReadOnlyList<ProxyEvent> connections, IReadOnlyList<ProxyEvent> flows)
    {
        var items = connections.Select(c => new ConnectionEvidence(c.Id, c.Outcome?.ToString() ?? "?", c.Requests, c.HandshakeCompleted == true,
            c.AlertName, c.AlertSource, c.TransportEnd,
            c.NegotiatedProtocol is null ? null : $"{c.NegotiatedProtocol} {c.NegotiatedCipherSuite}".Trim(), c.Detail)).ToList();
        var hellos = connections.Where(c => c.ClientHello is not null)
            .Select(c => new OfferedHello(c.ClientHello!.Sni, c.ClientHello.Versions, c.ClientHello.CipherSuites, c.ClientHello.OffersOnlyForwardSecret))
            .Distinct(OfferedHelloComparer.Instance).ToList();
        var urls = flows.Select(f => f.Url).Concat(connections.Select(c => c.Url)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return new VerdictEvidence(items, hellos, urls);
    }

    /// <summary>Retries offer the same hello; evidence lists each distinct offer once.</summary>
    private sealed class OfferedHelloComparer : IEqualityComparer<OfferedHello>
    {
        public static readonly OfferedHelloComparer Instance = new();
        public bool Equals(OfferedHello? x, OfferedHello? y) => x is not null && y is not null && x.Sni == y.Sni &&
            x.Versions.SequenceEqual(y.Versions) && x.CipherSuites.SequenceEqual(y.CipherSuites);
        public int GetHashCode(OfferedHello obj) => HashCode.Combine(obj.Sni, string.Join(",", obj.Versions), obj.CipherSuites.Count);
    }
}
