using System.Net.Sockets;
using System.Text;
using Roster.Testing;

namespace Roster.Tests.Hostile;

/// <summary>
/// A client that sends its headers and part of a body, then nothing more, does not hold the request
/// forever: Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) ends it with a
/// 408 or by closing the connection. The test waits up to 60 s for either (a hang guard, not a timing
/// assertion).
/// </summary>
public sealed class SlowBodyTests
{
    [Fact]
    public async Task A_partial_body_that_stops_is_ended_by_the_server()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var client = await host.CreateEnterpriseAsync("Acme");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var head = $"POST {client.Enterprise.ScimPath}/Users HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n" +
                   $"Authorization: Bearer {client.Token}\r\nContent-Type: application/scim+json\r\nContent-Length: 5000\r\n\r\n" +
                   "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"slow";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
        await stream.FlushAsync(TestContext.Current.CancellationToken);

        // Then silence: read until the server answers or closes.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, guard.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Encoding.ASCII.GetString(received.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
            }
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail("The server still held the request 60 s after the body stopped.");
        }
        catch (IOException)
        {
            // The connection was reset: ended, as it should be.
        }

        var answer = Encoding.ASCII.GetString(received.ToArray());
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal) || answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal),
            $"Expected a 408 or 400, or the connection closed; got: {answer}");
        // The request changed nothing, and the server serves the next one.
        Assert.Equal(0, (await client.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
    }
}
