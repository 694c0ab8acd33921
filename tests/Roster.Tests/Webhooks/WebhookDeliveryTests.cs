using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Roster.Directory.Audit;
using Roster.Directory.Events;
using Roster.Directory.Webhooks;
using Roster.Directory;
using Roster.Testing;
using Roster.Webhooks;

namespace Roster.Tests.Webhooks;

/// <summary>
/// Webhooks over real HTTP, from real SCIM requests to a real receiver on Kestrel, on both databases:
/// signed deliveries of every change in order; retries with the same event id until the receiver takes
/// it; order kept per member while others flow; nothing lost across a restart; one delivery per event
/// with two instances on one database; giving up after a day, and an admin's resend.
/// </summary>
public sealed class WebhookDeliveryTests
{
    static readonly AuditActor Admin = AuditActor.OwnerAccount("owner@acme.example");
    const string Deactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";

    static string User(string userName) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","emails":[{"value":"{{userName}}","primary":true}],"active":true}""";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Each_change_is_pushed_signed_in_order_and_the_same_as_the_feed(string kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var added = await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [], "the product", Admin);

        var ann = (await okta.PostAsync("Users", User("ann@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();
        (await okta.PatchAsync($"Users/{ann}", Deactivate)).AssertOk();
        var group = (await okta.PostAsync("Groups",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins","members":[{"value":"{{ann}}"}]}""")).AssertOk(201);
        await host.Directory.Roles.MapAsync(okta.Enterprise, group["id"]!.GetValue<string>(), "admin", Admin);
        Assert.Equal(204, (await okta.DeleteAsync($"Users/{ann}")).Status);

        var feed = await host.Directory.Events.ReadAsync(okta.Enterprise, 0);
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == feed.Events.Count, $"{feed.Events.Count} deliveries");
        await WaitDeliveredAsync(host, okta.Enterprise, feed.Events.Count);
        // The same events as the feed, each byte for byte; in cursor order for each member (Ann's
        // membership and role events are hers), while the group's own event may overtake them.
        var accepted = receiver.Accepted.ToList();
        Assert.Equal(feed.Events.Select(e => e.ToJson().ToJsonString()).Order(), accepted.Select(e => e.ToJsonString()).Order());
        var annsEvents = accepted.Where(e => (e["data"]!["member"]?["id"]?.GetValue<string>() ?? "") == ann).ToList();
        Assert.Equal(
            [EventTypes.MemberProvisioned, EventTypes.MemberDeactivated, EventTypes.MembershipAdded, EventTypes.RoleChanged,
             EventTypes.MemberDeleted, EventTypes.MembershipRemoved],
            annsEvents.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal(annsEvents.Select(e => long.Parse(e["cursor"]!.GetValue<string>())).Order(), annsEvents.Select(e => long.Parse(e["cursor"]!.GetValue<string>())));
        Assert.Contains(accepted, e => e["type"]!.GetValue<string>() == EventTypes.GroupCreated);

        foreach (var request in receiver.Requests)
        {
            Assert.Equal(request.EventId, JsonNode.Parse(request.Body)!["id"]!.GetValue<string>());
            Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", request.Signature);
            var timestamp = request.Signature.Split(',')[0][2..];
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(added.Secret), Encoding.UTF8.GetBytes(timestamp + "." + request.Body)));
            Assert.Equal("v1=" + expected, request.Signature.Split(',')[1]);
            Assert.NotEqual("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(added.Secret + "x"),
                Encoding.UTF8.GetBytes(timestamp + "." + request.Body))), request.Signature.Split(',')[1]);
        }
        var deliveries = await host.Directory.WebhookQueue.ListAsync(okta.Enterprise);
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Delivered, 1, 200), (d.State, d.Attempts, d.LastStatus)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_receiver_that_fails_five_times_gets_the_event_once_with_the_same_id_and_each_attempt_is_recorded(string kind)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, clock: clock, webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [EventTypes.MemberProvisioned], null, Admin);
        receiver.FailNext(5);

        (await okta.PostAsync("Users", User("ann@acme.example"))).AssertOk(201);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= attempt, $"attempt {attempt}");
            await WaitAttemptsRecordedAsync(host, okta.Enterprise, attempt);
            // Not before its time: nothing more arrives until the clock reaches the retry.
            Assert.Equal(attempt, receiver.Requests.Count);
            clock.Advance(TimeSpan.FromHours(1));
        }
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 1, "the sixth attempt");
        await WaitDeliveredAsync(host, okta.Enterprise, 1);

        Assert.Equal([1, 2, 3, 4, 5, 6], receiver.Requests.Select(r => r.Attempt));
        Assert.Single(receiver.Requests.Select(r => r.EventId).Distinct());
        var delivery = Assert.Single(await host.Directory.WebhookQueue.ListAsync(okta.Enterprise));
        Assert.Equal((DeliveryState.Delivered, 6, 200), (delivery.State, delivery.Attempts, delivery.LastStatus));
        var attempts = await host.Directory.WebhookQueue.AttemptsAsync(okta.Enterprise, delivery.Id);
        Assert.Equal([503, 503, 503, 503, 503, 200], attempts.Select(a => a.Status ?? 0));
        Assert.Equal("busy, try later", attempts[0].Response);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task One_member_s_failing_delivery_holds_back_only_their_later_events(string kind)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, clock: clock, webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [], null, Admin);

        var ann = (await okta.PostAsync("Users", User("ann@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 1, "ann's provisioning");
        receiver.FailMember = ann;
        (await okta.PatchAsync($"Users/{ann}", Deactivate)).AssertOk();
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count == 2, "ann's deactivation, refused");
        Assert.Equal(204, (await okta.DeleteAsync($"Users/{ann}")).Status);
        var bob = (await okta.PostAsync("Users", User("bob@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Any(e => e["subject"]!["id"]!.GetValue<string>() == bob), "bob's provisioning");

        // Ann's deletion waits behind her deactivation, which is waiting for its retry.
        Assert.DoesNotContain(receiver.Requests, r => r.EventType == EventTypes.MemberDeleted);
        await WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(okta.Enterprise).Result
            .Any(d => d.EventType == EventTypes.MemberDeactivated && d.LastStatus == 503), "the refused attempt recorded");
        receiver.FailMember = null;
        clock.Advance(TimeSpan.FromHours(1));
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 4, "ann's deactivation and deletion");
        var annEvents = receiver.Accepted.Where(e => e["subject"]!["id"]!.GetValue<string>() == ann).Select(e => e["type"]!.GetValue<string>());
        Assert.Equal([EventTypes.MemberProvisioned, EventTypes.MemberDeactivated, EventTypes.MemberDeleted], annEvents);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Deliveries_that_failed_before_a_restart_are_delivered_after_it_each_once(string kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [], null, Admin);
        receiver.FailNext(1000);
        for (var i = 0; i < 5; i++) (await okta.PostAsync("Users", User($"person{i}@acme.example"))).AssertOk(201);
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= 5, "the first attempts");

        await host.StopServerAsync();
        receiver.FailNext(0);
        // The restarted instance's clock is an hour on: the failed attempts are due again.
        var later = new ManualClock(DateTimeOffset.UtcNow.AddHours(1));
        await using var restarted = await host.StartAnotherInstanceAsync(later, RosterTestHost.FastWebhooks);

        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 5, "five deliveries after the restart");
        await WaitDeliveredAsync(host, okta.Enterprise, 5);
        Assert.Equal(5, receiver.Accepted.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(await host.Directory.WebhookQueue.ListAsync(okta.Enterprise), d => Assert.Equal(DeliveryState.Delivered, d.State));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Two_instances_on_one_database_deliver_each_event_once(string kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        await using var second = await host.StartAnotherInstanceAsync(webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [], null, Admin);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => okta.PostAsync("Users", User($"person{i:00}@acme.example"))));

        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 30, "30 deliveries");
        // Once each is recorded delivered no instance can claim it again: the receiver's count is final.
        await WaitDeliveredAsync(host, okta.Enterprise, 30);
        Assert.Equal(30, receiver.Requests.Count);
        Assert.Equal(30, receiver.Requests.Select(r => r.EventId).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_delivery_failing_for_a_day_is_given_up_and_an_admin_can_resend_it(string kind)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, clock: clock, webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [], null, Admin);
        receiver.FailNext(1000);
        (await okta.PostAsync("Users", User("ann@acme.example"))).AssertOk(201);

        WebhookDelivery? delivery = null;
        while (delivery?.State != DeliveryState.Failed)
        {
            var seen = receiver.Requests.Count;
            await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count > seen, "another attempt");
            await WaitAttemptsRecordedAsync(host, okta.Enterprise, seen + 1);
            delivery = (await host.Directory.WebhookQueue.ListAsync(okta.Enterprise)).Single();
            clock.Advance(TimeSpan.FromHours(2)); // beyond the longest delay, an hour and a fifth
        }
        Assert.InRange(delivery.Attempts, 10, 40);
        Assert.Equal(delivery.Id, Assert.Single(await host.Directory.WebhookQueue.ListAsync(okta.Enterprise, failingOnly: true)).Id);

        receiver.FailNext(0);
        var resent = await host.Directory.WebhookQueue.ResendAsync(okta.Enterprise, delivery.Id, Admin);
        Assert.Equal(DeliveryState.Pending, resent.State);
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == 1, "the resent delivery");
        Assert.Contains((await host.Directory.Audit.ListAsync(okta.Enterprise, 10)), e => e.Action == AdminAction.WebhookDeliveryResent);
        var other = await host.CreateEnterpriseAsync("Globex");
        await Assert.ThrowsAsync<RosterException>(() => host.Directory.WebhookQueue.ResendAsync(other.Enterprise, delivery.Id, Admin));
    }

    /// <summary>Waits until the store records <paramref name="count"/> deliveries delivered: the receiver
    /// answers before the dispatcher records its answer.</summary>
    static Task WaitDeliveredAsync(RosterTestHost host, Roster.Directory.Enterprises.Enterprise enterprise, int count) =>
        WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(enterprise).Result.Count(d => d.State == DeliveryState.Delivered) == count,
            $"{count} deliveries recorded as delivered");

    /// <summary>Waits until the enterprise's one delivery has <paramref name="count"/> attempts recorded
    /// (an attempt is recorded when its answer came back; the delivery's own attempt count moves when
    /// it is claimed, before that): only then may the test move the clock on.</summary>
    static Task WaitAttemptsRecordedAsync(RosterTestHost host, Roster.Directory.Enterprises.Enterprise enterprise, int count) =>
        WebhookReceiver.WaitForAsync(() =>
        {
            var delivery = host.Directory.WebhookQueue.ListAsync(enterprise).Result.Single();
            return host.Directory.WebhookQueue.AttemptsAsync(enterprise, delivery.Id).Result.Count == count;
        }, $"attempt {count} recorded");

    [Fact]
    public void Webhook_urls_are_https_or_this_machine_without_credentials()
    {
        Assert.Equal("https://product.example/hooks", WebhookEndpoints.CheckUrl(" https://product.example/hooks "));
        Assert.Equal("http://127.0.0.1:8080/hooks", WebhookEndpoints.CheckUrl("http://127.0.0.1:8080/hooks"));
        Assert.Equal("http://localhost/hooks", WebhookEndpoints.CheckUrl("http://localhost/hooks"));
        Assert.Contains("https", Assert.Throws<RosterException>(() => WebhookEndpoints.CheckUrl("http://product.example/hooks")).Message);
        Assert.Contains("user name", Assert.Throws<RosterException>(() => WebhookEndpoints.CheckUrl("https://u:p@product.example/hooks")).Message);
        Assert.Throws<RosterException>(() => WebhookEndpoints.CheckUrl("ftp://product.example/hooks"));
        Assert.Throws<RosterException>(() => WebhookEndpoints.CheckUrl("/hooks"));
        Assert.Throws<RosterException>(() => WebhookEndpoints.CheckUrl(""));
    }

    [Fact]
    public void Retries_back_off_exponentially_with_jitter_and_stop_after_a_day()
    {
        Assert.Equal(TimeSpan.FromSeconds(8), RetrySchedule.DelayAfter(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(12), RetrySchedule.DelayAfter(1, 0.999999).RoundTo());
        Assert.Equal(TimeSpan.FromSeconds(20), RetrySchedule.DelayAfter(2, 0.5));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.DelayAfter(30, 0.5));
        var since = DateTimeOffset.UnixEpoch;
        Assert.NotNull(RetrySchedule.NextAttempt(5, since, since.AddHours(22), 0.5));
        Assert.Null(RetrySchedule.NextAttempt(30, since, since.AddHours(23.5), 0.5));
    }
}

file static class TimeSpanRounding
{
    public static TimeSpan RoundTo(this TimeSpan value) => TimeSpan.FromSeconds(Math.Round(value.TotalSeconds));
}
