using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// Keeps the proxy from connecting to itself. A CONNECT, absolute-form request or transparent destination that
/// names the proxy's own listening endpoint would otherwise open a connection to the proxy, whose request opens
/// another, until <see cref="ProxyOptions.MaxConnections"/> is exhausted. Two checks: the target endpoint is
/// compared with the listening one before any connect, and an accepted connection that comes from one of the
/// proxy's own upstream sockets (a transparent REDIRECT that caught the proxy's own traffic) is recognised.
/// </summary>
internal sealed class LoopGuard
{
    public const string Place = "loop check";

    // Local ports of the proxy's own origin sockets, registered before they connect: the looped connection can be
    // accepted before the connecting side's continuation runs.
    private readonly ConcurrentDictionary<int, byte> _ownPorts = new();
    private IPEndPoint? _listening;

    public void SetListening(IPEndPoint endpoint) => _listening = endpoint;

    /// <summary>Port the proxy listens on (0 before it started); a target on any other port cannot be the proxy.</summary>
    public int ListeningPort => _listening?.Port ?? 0;

    /// <summary>
    /// True when a connection to <paramref name="target"/> would reach this proxy: the exact listening endpoint, or,
    /// when it listens on every address, any address of this machine (loopback, unspecified, an interface address).
    /// </summary>
    public bool IsSelf(IPEndPoint target)
    {
        if (_listening is not { } listening || target.Port != listening.Port) return false;
        var address = Normalize(target.Address);
        // Connecting to 0.0.0.0 or :: reaches the local host on Linux.
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        var bound = Normalize(listening.Address);
        if (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
            return IPAddress.IsLoopback(address) || LocalAddresses().Contains(address);
        return address.Equals(bound);
    }

    /// <summary>True when an accepted connection's peer is a socket this proxy opened to an origin.</summary>
    public bool IsOwnUpstream(EndPoint? remote)
    {
        if (remote is not IPEndPoint ep || !_ownPorts.ContainsKey(ep.Port)) return false;
        var address = Normalize(ep.Address);
        return IPAddress.IsLoopback(address) || LocalAddresses().Contains(address);
    }

    /// <summary>
    /// Binds a new origin socket to an ephemeral port and remembers the port until the returned registration is
    /// disposed (the stream from <see cref="Stream"/> does that when it closes).
    /// </summary>
    public IDisposable Register(Socket socket)
    {
        socket.Bind(new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _ownPorts[port] = 0;
        return new Registration(() => _ownPorts.TryRemove(port, out _));
    }

    /// <summary>The connected socket as a stream that ends the registration when it is disposed.</summary>
    public static NetworkStream Stream(Socket socket, IDisposable registration) => new TrackedStream(socket, registration.Dispose);

    internal int TrackedCount => _ownPorts.Count;

    private sealed class Registration(Action release) : IDisposable
    {
        private Action? _release = release;
        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static HashSet<IPAddress> LocalAddresses()
    {
        // Read when a target's port equals the proxy's, which is rare, so interface changes are always seen.
        var set = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                    set.Add(Normalize(unicast.Address));
        }
        catch (NetworkInformationException) { }
        return set;
    }

    private sealed class TrackedStream(Socket socket, Action onClose) : NetworkStream(socket, ownsSocket: true)
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing) onClose();
            base.Dispose(disposing);
        }
    }
}
