using System.Net;

namespace Mstg.Analysis.Hosts;

/// <summary>
/// Host-name matching shared by the ATS model, the pinning model and the pin coverage rule, so that "is this host
/// under that domain" has one answer. Each mechanism picks the walk Apple's (or TrustKit's) code uses.
/// </summary>
public static class HostNames
{
    /// <summary>
    /// The parent one label up, or null for a single label or a name whose only dot is its last character:
    /// Security's <c>CopyParentDomainNameFromHostName</c> (SecPolicy.c), which cuts at the first dot.
    /// </summary>
    public static string? ImmediateParent(string host)
    {
        var dot = host.IndexOf('.');
        return dot < 0 || dot >= host.Length - 1 ? null : host[(dot + 1)..];
    }

    /// <summary>
    /// Every parent from the nearest up to the last label: Security's <c>_find_parent_domain</c> applied repeatedly
    /// (SecProtocolConfiguration.m, <c>sec_protocol_configuration_find_exception_for_host</c>).
    /// </summary>
    public static IEnumerable<string> Parents(string host)
    {
        for (var parent = ImmediateParent(host); parent is not null; parent = ImmediateParent(parent))
            yield return parent;
    }

    /// <summary>
    /// <paramref name="host"/> is <paramref name="domain"/> or, when <paramref name="includesSubdomains"/>, any name below it
    /// at any depth, ignoring case: a label boundary is required, so <c>badexample.com</c> is not under <c>example.com</c>.
    /// What TrustKit's <c>TSKIncludeSubdomains</c>, first-party domains and the URL exclusions' <c>hostSuffix</c> mean.
    /// The one place the analysis asks "is this host under that domain"; ATS's one-label and nearest-parent walks are
    /// <see cref="IsSameOrChild"/> and <see cref="Parents"/>.
    /// </summary>
    public static bool IsSameOrUnder(string host, string domain, bool includesSubdomains = true) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) ||
        (includesSubdomains && host.Length > domain.Length + 1 && host[^(domain.Length + 1)] == '.'
         && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <paramref name="host"/> is <paramref name="domain"/> or exactly one label below it, ignoring case: what an
    /// <c>NSPinnedDomains</c> entry with <c>NSIncludesSubdomains</c> covers (SecPolicy.c, <c>parseNSPinnedDomains</c>
    /// compares the key with the host and with its immediate parent only). A trailing dot on the host is ignored, as there.
    /// </summary>
    public static bool IsSameOrChild(string host, string domain, bool includesChildren)
    {
        var name = host.Trim();
        if (name.EndsWith('.')) name = name[..^1];
        if (name.Equals(domain, StringComparison.OrdinalIgnoreCase)) return true;
        return includesChildren && ImmediateParent(name) is { } parent && parent.Equals(domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>localhost</c> or a loopback address (<c>127.0.0.0/8</c>, <c>::1</c>): traffic that never leaves the device.</summary>
    public static bool IsLoopback(string name)
    {
        var n = name.Trim().TrimEnd('.').Trim('[', ']');
        if (n.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(n, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// A loopback, link-local or private-use address (IPv4 10/8, 172.16/12, 192.168/16, 169.254/16, 127/8, 100.64/10;
    /// IPv6 ::1, fe80::/10, fc00::/7): the addresses ATS leaves alone on every iOS version, where from iOS 17 it
    /// covers public addresses.
    /// </summary>
    public static bool IsNonPublicAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal;
        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xC0) == 64);
    }
}
