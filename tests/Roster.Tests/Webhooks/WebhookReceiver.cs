using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Roster.Tests.Webhooks;

/// <summary>
/// The product's side of a webhook: a real HTTP endpoint on Kestrel that records every request, and
/// answers as the test tells it (fail the next N, or fail for one member), and accepts each event once
/// by its id, as a careful receiver does.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    int failuresLeft;

    WebhookReceiver(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every request, in the order received.</summary>
    public ConcurrentQueue<ReceivedDelivery> Requests { get; } = new();

    /// <summary>The events answered 2xx, each once (a repeat of an id is answered 200 and not kept again).</summary>
    public ConcurrentQueue<JsonObject> Accepted { get; } = new();

    /// <summary>Deliveries of events about this member are answered 503 while set.</summary>
    public string? FailMember { get; set; }

    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var seen = new ConcurrentDictionary<string, bool>();
        app.MapPost("/hooks", async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var delivery = new ReceivedDelivery(body, context.Request.Headers["Roster-Signature"].ToString(), context.Request.Headers["Roster-Event-Id"].ToString(),
                context.Request.Headers["Roster-Event-Type"].ToString(), int.Parse(context.Request.Headers["Roster-Delivery-Attempt"].ToString()));
            receiver.Requests.Enqueue(delivery);
            var json = (JsonObject)JsonNode.Parse(body)!;
            var member = json["data"]?["member"]?["id"]?.GetValue<string>();
            if (Interlocked.Decrement(ref receiver.failuresLeft) >= 0 || (member is not null && member == receiver.FailMember))
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("busy, try later");
                return;
            }
            if (seen.TryAdd(json["id"]!.GetValue<string>(), true)) receiver.Accepted.Enqueue(json);
            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks";
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds, checking every 25 ms; fails after <paramref name="seconds"/>
    /// (a bound on a broken dispatcher, not a measure of a working one).</summary>
    public static async Task WaitForAsync(Func<bool> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Still waiting for {what} after {seconds} s.");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedDelivery(string Body, string Signature, string EventId, string EventType, int Attempt);
