using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.Webhooks;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>
/// <c>roster serve</c> stopped with SIGTERM, as an orchestrator stops it: it stops accepting
/// connections, the request in flight (its body still arriving) gets its answer, the webhook send in
/// flight (its receiver still answering) completes and is recorded delivered, and the process exits
/// by itself, with 0.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task On_SIGTERM_the_request_and_the_webhook_send_in_flight_finish_and_the_process_exits()
    {
        await using var receiver = await HoldingReceiver.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var directory = await RosterDirectory.OpenAsync(RosterTestHost.StoreOf(database));
        var storm = await StormHarness.CreateAsync(directory);
        await directory.Webhooks.AddAsync(storm.Enterprise, receiver.Url, [], null, AuditActor.OwnerAccount("owner@storm.example"));
        await using var roster = await RosterProcess.StartAsync(["--data", database.DataDirectory!], StormHarness.Unlimited);

        // A first member: its event's delivery reaches the receiver, which holds its answer.
        using (var scim = storm.Scim(roster.BaseAddress))
        using (var created = await scim.PostAsync("Users", new StringContent(User("ann@storm.example"), Encoding.UTF8, "application/scim+json")))
            Assert.Equal(201, (int)created.StatusCode);
        await receiver.Arrived.WaitAsync(TimeSpan.FromSeconds(60));

        // A second create whose body is half sent.
        using var slow = new TcpClient();
        await slow.ConnectAsync("127.0.0.1", roster.Port);
        var stream = slow.GetStream();
        var body = Encoding.UTF8.GetBytes(User("bob@storm.example"));
        var head = Encoding.ASCII.GetBytes(
            $"POST {storm.Enterprise.ScimPath}/Users HTTP/1.1\r\nHost: 127.0.0.1:{roster.Port}\r\nAuthorization: Bearer {storm.Token}\r\n" +
            $"Content-Type: application/scim+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
        await stream.FlushAsync();

        roster.Terminate();
        // Stopping, it no longer accepts connections; only then does the rest arrive.
        await StormHarness.WaitForAsync(() => !Accepts(roster.Port), TimeSpan.FromSeconds(30), () => "roster serve to stop listening after SIGTERM");
        Assert.False(roster.HasExited, "roster serve exited with a request and a webhook send in flight");
        receiver.Release();
        await stream.WriteAsync(body.AsMemory(body.Length / 2));
        await stream.FlushAsync();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 201", answer);

        await roster.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, roster.ExitCode);
        var deliveries = await directory.WebhookQueue.ListAsync(storm.Enterprise);
        Assert.Contains(deliveries, d => d.State == DeliveryState.Delivered);
        Assert.Equal(1, receiver.Requests);
        Assert.Equal(2, (await directory.Members.ListAsync(storm.Enterprise, null, 1, 10)).Total);
    }

    static string User(string userName) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":true}""";

    static bool Accepts(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A webhook receiver that holds its answer until told to give it: a send in flight for as long as the test wants.</summary>
    sealed class HoldingReceiver : IAsyncDisposable
    {
        readonly WebApplication app;
        readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int requests;

        HoldingReceiver(WebApplication app) => this.app = app;

        public string Url { get; private set; } = "";
        public Task Arrived => arrived.Task;
        public int Requests => Volatile.Read(ref requests);
        public void Release() => released.TrySetResult();

        public static async Task<HoldingReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var receiver = new HoldingReceiver(builder.Build());
            receiver.app.MapPost("/hooks", async context =>
            {
                Interlocked.Increment(ref receiver.requests);
                receiver.arrived.TrySetResult();
                await receiver.released.Task;
                context.Response.StatusCode = 200;
            });
            await receiver.app.StartAsync();
            receiver.Url = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            released.TrySetResult();
            await app.DisposeAsync();
        }
    }
}
