using System.Net;
using System.Net.Sockets;

namespace Mstg.ServerTls.Probing;

/// <summary>Connecting failed; <see cref="Status"/> says how (does not resolve, refused, timed out).</summary>
public sealed class ConnectFailedException(ProbeStatus status, string message) : Exception(message)
{
    public ProbeStatus Status { get; } = status;
}

/// <summary>Resolves an endpoint once and opens TCP connections to it, retrying only what may pass on a second try.</summary>
internal sealed class Connector(IPAddress address, ProbeOptions options)
{
    public IPAddress Address { get; } = address;
    private int _connections;
    public int Connections => _connections;

    public static async Task<IPAddress> ResolveAsync(Endpoint endpoint, ProbeOptions options, CancellationToken ct)
    {
        if (IPAddress.TryParse(endpoint.Host, out var literal)) return literal;
        // RFC 6761: localhost names are loopback, whatever a resolver says; and asking one costs a cold start ~150 ms here.
        if (endpoint.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || endpoint.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.Loopback;
        try
        {
            var addresses = await options.Resolve(endpoint.Host, ct).ConfigureAwait(false);
            // IPv4 first: loopback names (localhost) resolve to ::1 too, and test servers listen on 127.0.0.1.
            return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
                ?? throw new ConnectFailedException(ProbeStatus.DoesNotResolve, $"{endpoint.Host} resolves to no address");
        }
        catch (SocketException e)
        {
            throw new ConnectFailedException(ProbeStatus.DoesNotResolve, $"{endpoint.Host} does not resolve ({e.SocketErrorCode})");
        }
    }

    public async Task<TcpClient> ConnectAsync(int port, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var client = new TcpClient(Address.AddressFamily) { NoDelay = true };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.ConnectTimeout);
            try
            {
                Interlocked.Increment(ref _connections);
                await client.ConnectAsync(Address, port, deadline.Token).ConfigureAwait(false);
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                client.Dispose();
                throw new ConnectFailedException(ProbeStatus.Unreachable, $"{Address}:{port} refused the connection");
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                client.Dispose();
                if (attempt >= options.Retries)
                    throw new ConnectFailedException(ProbeStatus.Unreachable,
                        $"{Address}:{port}: {(e is SocketException se ? se.SocketErrorCode.ToString() : $"no connection within {options.ConnectTimeout.TotalSeconds:0.#} s")} after {attempt + 1} attempts");
            }
        }
    }
}
