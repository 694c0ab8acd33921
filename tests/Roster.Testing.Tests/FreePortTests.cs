using System.Net;
using System.Net.Sockets;

namespace Roster.Testing.Tests;

public class FreePortTests
{
    [Fact]
    public void Next_returns_a_port_that_can_be_bound_on_loopback()
    {
        var port = FreePort.Next();

        Assert.InRange(port, 1024, 65535);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }
}
