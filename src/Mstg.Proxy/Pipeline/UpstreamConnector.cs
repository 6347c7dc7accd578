using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mstg.Proxy.Http;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// Opens connections to real servers. TLS to the origin is validated properly (system store, or only the
/// configured roots for a reference backend): the proxy must never become the weak link it is testing for.
/// </summary>
public sealed class UpstreamConnector
{
    private readonly ProxyOptions options;
    private readonly LoopGuard _loop;

    public UpstreamConnector(ProxyOptions options) : this(options, new LoopGuard()) { }

    internal UpstreamConnector(ProxyOptions options, LoopGuard loop)
    {
        this.options = options;
        _loop = loop;
    }

    public EndPoint Resolve(string host, int port, IPEndPoint? originalDestination = null)
    {
        if (options.HostMap.TryGetValue(host, out var mapped) || options.HostMap.TryGetValue($"{host}:{port}", out mapped))
        {
            if (IPEndPoint.TryParse(mapped, out var ep)) return ep;
            var colon = mapped.LastIndexOf(':');
            if (colon > 0 && int.TryParse(mapped[(colon + 1)..], out var p)) return new DnsEndPoint(mapped[..colon], p);
            return new DnsEndPoint(mapped, port);
        }
        var literal = IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : null;
        if (options.HostMapOnly && !(literal is not null && IPAddress.IsLoopback(literal)) && !(originalDestination is not null && IPAddress.IsLoopback(originalDestination.Address)))
            throw new ProxyProtocolException($"{host}:{port}", "upstream connect", "not a mapped host (HostMapOnly): nothing leaves the machine");
        // Transparent mode: go where the client was going, not wherever DNS says the SNI host is.
        if (originalDestination is not null) return originalDestination;
        return literal is not null ? new IPEndPoint(literal, port) : new DnsEndPoint(host, port);
    }

    public async Task<(NetworkStream Stream, string Address)> ConnectTcpAsync(string host, int port, CancellationToken ct, IPEndPoint? originalDestination = null)
    {
        var endpoint = Resolve(host, port, originalDestination);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.UpstreamConnectTimeout);
        // Names are resolved here rather than by the socket, so every address is checked against the proxy's own
        // endpoint before anything connects.
        IPAddress[] addresses;
        int targetPort;
        try
        {
            (addresses, targetPort) = await AddressesAsync(endpoint, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new ProxyProtocolException($"{host}:{port}", "upstream connect", e is SocketException se ? se.SocketErrorCode.ToString() : "timed out");
        }
        if (addresses.Length == 0) throw new ProxyProtocolException($"{host}:{port}", "upstream connect", "the name has no address");
        if (LoopReason(host, port, addresses, targetPort) is { } loop) throw new ProxyProtocolException($"{host}:{port}", LoopGuard.Place, loop);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        IDisposable registration;
        try { registration = _loop.Register(socket); }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ProxyProtocolException($"{host}:{port}", "upstream connect", "no local port: " + e.SocketErrorCode);
        }
        try
        {
            await socket.ConnectAsync(addresses, targetPort, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            registration.Dispose();
            socket.Dispose();
            throw new ProxyProtocolException($"{host}:{port}", "upstream connect", e is SocketException se ? se.SocketErrorCode.ToString() : "timed out");
        }
        catch
        {
            registration.Dispose();
            // Cancelled by the caller (a condition swap closes in-scope connections): still release the socket.
            socket.Dispose();
            throw;
        }
        return (LoopGuard.Stream(socket, registration), socket.RemoteEndPoint?.ToString() ?? endpoint.ToString()!);
    }

    /// <summary>
    /// Why connecting to this target would loop back into the proxy, or null. Names are resolved only when the
    /// target port is the proxy's own, so ordinary CONNECTs cost no extra DNS lookup.
    /// </summary>
    internal async Task<string?> LoopReasonAsync(string host, int port, CancellationToken ct)
    {
        EndPoint endpoint;
        try { endpoint = Resolve(host, port); }
        catch (ProxyProtocolException) { return null; } // not a reachable host at all: the connect attempt reports it
        var targetPort = endpoint switch { IPEndPoint ip => ip.Port, DnsEndPoint dns => dns.Port, _ => 0 };
        if (targetPort != _loop.ListeningPort) return null;
        try
        {
            var (addresses, p) = await AddressesAsync(endpoint, ct).ConfigureAwait(false);
            return LoopReason(host, port, addresses, p);
        }
        catch (SocketException) { return null; } // unresolvable: the connect attempt reports it
    }

    private string? LoopReason(string host, int port, IPAddress[] addresses, int targetPort)
    {
        foreach (var address in addresses)
            if (_loop.IsSelf(new IPEndPoint(address, targetPort)))
                return $"{host}:{port} is {new IPEndPoint(address, targetPort)}, this proxy's own listening endpoint; not connected (loop)";
        return null;
    }

    private static async Task<(IPAddress[] Addresses, int Port)> AddressesAsync(EndPoint endpoint, CancellationToken ct) => endpoint switch
    {
        IPEndPoint ip => ([ip.Address], ip.Port),
        DnsEndPoint dns => (await Dns.GetHostAddressesAsync(dns.Host, ct).ConfigureAwait(false), dns.Port),
        _ => throw new ArgumentException($"unsupported endpoint {endpoint}", nameof(endpoint)),
    };

    public async Task<SslStream> ConnectTlsAsync(Stream tcp, string host, CancellationToken ct)
    {
        var ssl = new SslStream(tcp, leaveInnerStreamOpen: false);
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (options.UpstreamTrustedRoots is { Count: > 0 } roots)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            auth.CertificateChainPolicy = policy;
        }
        // The origin gets the same handshake deadline as clients do, so a silent origin cannot hold the connection.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException
                                  || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new ProxyProtocolException(host, "upstream TLS", e is OperationCanceledException ? "handshake timed out" : e.Message);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false); // disposes the TCP stream under it too
            throw;
        }
        return ssl;
    }
}
