using System.Security.Cryptography.X509Certificates;
using Mstg.Tls.Raw;

namespace Mstg.ServerTls;

/// <summary>Bounds and inputs of a probe run.</summary>
public sealed record ProbeOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Bounds of one ClientHello exchange (bytes read, time to a decisive answer).</summary>
    public FlightLimits Flight { get; init; } = FlightLimits.Default;
    /// <summary>Extra attempts when connecting fails in a way that may pass (reset, time-out), not when it is refused.</summary>
    public int Retries { get; init; } = 2;
    /// <summary>Connections open at once to one endpoint (servers like openssl s_server serve one at a time).</summary>
    public int ConnectionsPerEndpoint { get; init; } = 12;
    /// <summary>Endpoints probed at once.</summary>
    public int Endpoints { get; init; } = 8;
    /// <summary>Trust anchors to build chains to; null: the system's store.</summary>
    public X509Certificate2Collection? TrustAnchors { get; init; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Offered in the ALPN probe.</summary>
    public IReadOnlyList<string> Alpn { get; init; } = ["h2", "http/1.1"];

    /// <summary>Name resolution; the system resolver unless a test replaces it (tests never resolve names that leave loopback).</summary>
    public Func<string, CancellationToken, Task<System.Net.IPAddress[]>> Resolve { get; init; } = System.Net.Dns.GetHostAddressesAsync;

    public static readonly ProbeOptions Default = new();
}
