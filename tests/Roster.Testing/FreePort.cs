using System.Net;
using System.Net.Sockets;

namespace Roster.Testing;

/// <summary>Hands out TCP ports on 127.0.0.1 that are free right now.</summary>
public static class FreePort
{
    /// <summary>
    /// Returns a TCP port on 127.0.0.1 that was free at the time of the call: the kernel picks it
    /// when a socket binds to port 0, and the socket is closed again before returning. Another
    /// process may still take it before the caller binds it, so callers that start servers should
    /// retry with a fresh port when binding fails.
    /// </summary>
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
