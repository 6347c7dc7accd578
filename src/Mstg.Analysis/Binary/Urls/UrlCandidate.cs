using System.Net;

namespace Mstg.Analysis.Binary.Urls;

/// <summary>A URL found in a string, with its host split out (null when the host is a format placeholder or empty).</summary>
public sealed record UrlCandidate(string Url, string Scheme, string? Host)
{
    public bool IsCleartext => Scheme == "http";

    /// <summary>The host is an IP address outside the loopback, link-local and private ranges (ATS covers these from iOS 17).</summary>
    public bool IsPublicIpAddress =>
        Host is not null && IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && !Hosts.HostNames.IsNonPublicAddress(ip);

    /// <summary>
    /// Why ATS does not protect this host, or null when it does. ATS exempts IP-address literals, unqualified host
    /// names (no dot, such as <c>localhost</c>) and the <c>.local</c> multicast-DNS domain.
    /// </summary>
    public string? LocalReason
    {
        get
        {
            if (Host is null) return null;
            var host = Host.Trim('[', ']');
            if (IPAddress.TryParse(host, out var ip))
                return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6 address literal" : "IPv4 address literal";
            if (host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".local.", StringComparison.OrdinalIgnoreCase))
                return ".local (multicast DNS) host";
            if (!host.Contains('.')) return "unqualified host name";
            return null;
        }
    }
}
