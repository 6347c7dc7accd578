using System.Net;
using System.Net.Sockets;

namespace Mstg.Proxy.Pipeline;

/// <summary>
/// Transparent mode: where a connection redirected by iptables REDIRECT/DNAT was really going, read from the
/// socket with getsockopt(SOL_IP, SO_ORIGINAL_DST). Linux and IPv4 only.
/// </summary>
public static class OriginalDestination
{
    private const int SolIp = 0;
    private const int SoOriginalDst = 80;

    public static IPEndPoint? Read(Socket socket)
    {
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.InterNetwork) return null;
        var sockaddr = new byte[16]; // struct sockaddr_in
        try
        {
            if (socket.GetRawSocketOption(SolIp, SoOriginalDst, sockaddr) < 8) return null;
        }
        catch (SocketException)
        {
            return null; // ENOENT: conntrack has no NAT entry, i.e. the connection was not redirected
        }
        var port = (sockaddr[2] << 8) | sockaddr[3];
        var destination = new IPEndPoint(new IPAddress(sockaddr.AsSpan(4, 4)), port);
        // Without NAT some kernels answer with the local address itself: that is not a redirect either.
        return destination.Equals(socket.LocalEndPoint) ? null : destination;
    }
}
