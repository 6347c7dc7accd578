using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mstg.Proxy.Certificates;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// Everything a proxy is asked to do. An out-of-process <c>ProxyHost</c> hands the whole record to its child as one
/// JSON document (Hosting/ProxyOptionsJson): a new property must be serializable, and ProxyOptionsHandOffTests
/// fails until it is given a non-default value there.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>Where to listen; port 0 picks a free one (read it back from ProxyServer.Endpoint).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>Binding to anything but loopback must be asked for explicitly: a proxy holding a trusted CA is a gift to the LAN.</summary>
    public bool AllowNonLoopback { get; init; }

    /// <summary>
    /// Transparent mode: clients do not know about the proxy; iptables REDIRECT sends their connections here and the
    /// real destination comes from SO_ORIGINAL_DST. Exclude the proxy's own upstream traffic from the redirect
    /// (e.g. `-m owner ! --uid-owner`), or map hosts to endpoints the rule does not match.
    /// </summary>
    public bool Transparent { get; init; }

    public CertificateCondition Condition { get; init; } = CertificateCondition.TrustedCa;

    /// <summary>Host globs the condition applies to; empty means every host.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];

    /// <summary>Host → "address:port" overrides, so tests reach "api.example.com" on loopback.</summary>
    public IReadOnlyDictionary<string, string> HostMap { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reach only the hosts in <see cref="HostMap"/> (and loopback addresses): anything else is answered as unreachable
    /// without a DNS lookup or a connection. For runs against reference targets, where a browser's own background traffic
    /// (update and time services) must never leave the machine.
    /// </summary>
    public bool HostMapOnly { get; init; }

    /// <summary>When set, upstream servers are validated against only these roots (a reference backend); else the system store.</summary>
    public X509Certificate2Collection? UpstreamTrustedRoots { get; init; }

    /// <summary>Basic credentials clients must send in Proxy-Authorization; null = no authentication.</summary>
    public NetworkCredential? ProxyCredentials { get; init; }

    public HttpLimits Limits { get; init; } = new();

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Connections served at once. Each may hold two bodies up to the per-request limit, so without a cap a flood of
    /// clients could exhaust memory; past it the proxy stops accepting until a connection ends (the kernel backlog queues).
    /// </summary>
    public int MaxConnections { get; init; } = 4096;
    public TimeSpan UpstreamConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Leaf certificates kept (per host + condition). SNI names come from clients, so the cache is bounded; the least
    /// recently used leaf goes first.
    /// </summary>
    public int LeafCacheCapacity { get; init; } = Certificates.LeafCertificateFactory.DefaultCapacity;

    /// <summary>Pooled origin connections idle this long are closed by a sweep (every half timeout) and never reused.</summary>
    public TimeSpan UpstreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Redact Authorization, Cookie, Set-Cookie and token-like values in evidence (default on).</summary>
    public bool Redact { get; init; } = true;

    /// <summary>
    /// Which headers and field names count as secrets when <see cref="Redact"/> is on (defaults in docs/proxy.md).
    /// </summary>
    public Evidence.RedactionPolicy Redaction { get; init; } = Evidence.RedactionPolicy.Default;

    public string? EventsPath { get; init; }
    public string? HarPath { get; init; }

    /// <summary>Plain-HTTP host the proxy answers itself with the run CA (ca.pem, ca.der, ca.mobileconfig).</summary>
    public string WellKnownHost { get; init; } = "mstg.proxy";

    /// <summary>
    /// Reuse a CA exported earlier (`mstg ca export --key-out`) instead of generating one, so a device that already
    /// trusts it need not reinstall a profile every run. Both paths or neither.
    /// </summary>
    public string? CaCertificatePath { get; init; }
    public string? CaKeyPath { get; init; }

    public string CaCommonName { get; init; } = $"MstgTests run CA {DateTime.UtcNow:yyyy-MM-dd HH:mm}";
}
