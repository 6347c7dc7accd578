using System.Net;
using System.Net.Sockets;

namespace Mstg.Devices;

/// <summary>
/// A port nobody listens on at this moment, for servers we start (Appium, chromedriver). Bound on loopback and released
/// at once; the caller passes it to the server it starts, which binds it a moment later.
/// </summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
