using System.Net;
using System.Text;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.SignOn;
using Roster.Directory.Webhooks;
using Roster.Hosting;
using Roster.Operations;
using Roster.Testing;
using Roster.Tests.AdminConsole;
using Roster.Tests.Operations;
using Roster.Tests.Saml;
using Roster.Tests.Webhooks;

namespace Roster.Tests.Resilience;

/// <summary>
/// Several Roster instances on one PostgreSQL database behind nginx, as docs/operations.md runs them:
/// provisioning through the proxy loses nothing when an instance is killed in the middle, and what
/// one instance set up holds on the other — a console session, the SAML replay cache, the rate
/// limits, webhook delivery (each event sent once).
/// </summary>
public sealed class SeveralInstancesTests(ITestOutputHelper output)
{
    const int Clients = 6;
    const int UsersPerClient = 4;

    [Fact]
    public async Task Provisioning_through_the_proxy_loses_no_acknowledged_change_when_an_instance_is_killed_in_the_middle()
    {
        var random = new Random(ResilienceSeed.Next(output, "two instances behind nginx, one killed"));
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        var directory = await RosterDirectory.OpenAsync(RosterTestHost.StoreOf(database));
        var storm = await StormHarness.CreateAsync(directory);
        string[] store = ["--database", database.ConnectionString!];
        await using var first = await RosterProcess.StartAsync(store, StormHarness.Unlimited);
        await using var second = await RosterProcess.StartAsync(store, StormHarness.Unlimited);
        await using var proxy = await NginxProxy.StartAsync([first.Port, second.Port]);
        using var scim = storm.Scim(proxy.BaseAddress);
        var clients = Enumerable.Range(0, Clients).Select(i => new StormClient(i, UsersPerClient, random.Next())).ToList();
        await storm.CreateGroupsAsync(scim, clients);
        var record = new StormRecord();
        var gate = new StormGate();
        using var stop = new CancellationTokenSource();
        var running = clients.Select(c => Task.Run(() => c.RunAsync(gate, record, stop.Token))).ToList();
        try
        {
            gate.Open(scim);
            var beforeKill = random.Next(40, 80);
            await StormHarness.WaitForAsync(() => record.Acked >= beforeKill, TimeSpan.FromSeconds(90), () => $"{beforeKill} changes; {record.Summary()}");
            record.BeginCut();
            await second.KillAsync();
            // A client whose change the kill cut off waits until the store says whether it was applied
            // (each client's model must stay exact): with requests still in flight to the survivor,
            // the store is read once they have finished, and the survivor goes on serving afterwards.
            await gate.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await storm.WaitForQuietDatabaseAsync();
            var afterCut = await StoreInvariants.CheckAsync(directory.Database, storm.Enterprise.Id, clients);
            Assert.True(afterCut.Count == 0, $"After the kill:\n{string.Join('\n', afterCut)}");
            record.EndCut();
            gate.Open(scim);
            var afterKill = record.Acked + 40;
            await StormHarness.WaitForAsync(() => record.Acked >= afterKill, TimeSpan.FromSeconds(90), () => $"{afterKill} changes; {record.Summary()}");
            await gate.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
        await storm.WaitForQuietDatabaseAsync();
        var problems = await StoreInvariants.CheckAsync(directory.Database, storm.Enterprise.Id, clients);
        output.WriteLine($"2 instances, 1 killed: {record.Summary()}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(record.Problems.Count == 0, string.Join('\n', record.Problems));
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task A_console_session_signed_in_on_one_instance_is_accepted_by_the_other()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Postgres);
        await using var other = await host.StartAnotherInstanceAsync();
        await using var proxy = await NginxProxy.StartAsync([host.BaseAddress.Port, new Uri(other.Addresses[0]).Port]);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "olga@acme.example");

        // Through the proxy, the sign-in form and its post may each reach either instance.
        using var browser = new SamlBrowser(proxy.BaseAddress);
        using (var signedIn = await browser.SignInWithPasswordAsync("acme", "olga@acme.example", ConsoleBrowser.Password))
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        foreach (var address in new[] { host.BaseAddress, new Uri(other.Addresses[0]), proxy.BaseAddress, proxy.BaseAddress })
        {
            using var direct = new SamlBrowser(address);
            foreach (var name in browser.CookieNames) direct.SetCookie(name, browser.Cookie(name)!);
            using var page = await direct.GetAsync("/console/acme");
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{address}: {(int)page.StatusCode} {page.Headers.Location}");
        }
    }

    [Fact]
    public async Task A_SAML_response_accepted_by_one_instance_is_refused_when_replayed_to_the_other()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Postgres);
        var acme = await SamlTestEnterprise.CreateAsync(host, options: SamlOptions.Default with { AllowIdpInitiated = true });
        await acme.ProvisionAsync("ann@acme.example");
        // The second instance answers for the same public address, as instances behind one proxy do.
        await using var other = await RosterServer.StartAsync(await RosterDirectory.OpenAsync(host.Options), "http://127.0.0.1:0", quiet: true,
            publicUrl: host.BaseAddress.ToString());
        using var first = new SamlBrowser(host.BaseAddress);
        using var second = new SamlBrowser(new Uri(other.Addresses[0]));

        // A sign-in started on the first and answered to the second: the pending request is shared;
        // its answer replayed to the first finds the request used.
        var started = await first.StartAsync(acme.Slug);
        foreach (var name in first.CookieNames) second.SetCookie(name, first.Cookie(name)!);
        var answer = acme.Respond(started.RequestId, "ann@acme.example").FormValue;
        using (var accepted = await second.PostResponseAsync(acme.Slug, answer, started.RelayState))
            Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
        using (var reused = await first.PostResponseAsync(acme.Slug, answer, started.RelayState))
            Assert.Equal(HttpStatusCode.Forbidden, reused.StatusCode);
        Assert.Equal("request-used", (await acme.LastAttemptAsync()).Reason);

        // An unsolicited Response (the IdP's app tile) has no request to use up: the replay cache alone
        // stands between it and a second sign-in on the other instance.
        var unsolicited = acme.Respond(null, "ann@acme.example").FormValue;
        using (var accepted = await second.PostResponseAsync(acme.Slug, unsolicited, null))
            Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
        using (var replayed = await first.PostResponseAsync(acme.Slug, unsolicited, null))
            Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Equal("replayed", (await acme.LastAttemptAsync()).Reason);
    }

    [Fact]
    public async Task A_SCIM_token_or_an_admin_API_key_past_its_rate_limit_is_refused_by_every_instance()
    {
        var limits = OperationsOptions.Unlimited with { RateLimitPerToken = 4, RateLimitPerEnterprise = 100, RateLimitShape = OperationsTestServer.PerHour };
        await using var server = await OperationsTestServer.StartAsync(TestDatabase.Postgres, limits);
        await using var other = await RosterServer.StartAsync(await RosterDirectory.OpenAsync(server.Directory.Database.Options), "http://127.0.0.1:0",
            quiet: true, operations: limits);
        await using var proxy = await NginxProxy.StartAsync([server.BaseAddress.Port, new Uri(other.Addresses[0]).Port]);
        var acme = await server.CreateEnterpriseAsync("Acme");

        // Round robin spreads the four allowed requests over both instances; each kept its own count
        // before, and let through four of its own.
        var statuses = new List<int>();
        using var http = new HttpClient { BaseAddress = new Uri(proxy.BaseAddress, acme.Enterprise.ScimPath + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {acme.Token}");
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync("Users");
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([200, 200, 200, 200, 429, 429], statuses);
        foreach (var address in new[] { server.BaseAddress, new Uri(other.Addresses[0]) })
        {
            using var direct = new HttpClient { BaseAddress = new Uri(address, acme.Enterprise.ScimPath + "/") };
            direct.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {acme.Token}");
            using var refused = await direct.GetAsync("Users");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // An admin API key is limited as a token is, across instances as well.
        var key = (await CliRunner.RunAsync(server.StoreArguments, "apikey", "create", "--enterprise", "acme", "--name", "script")).Json["key"]!.GetValue<string>();
        async Task<int> EventsAsync(Uri address)
        {
            using var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {key}");
            using var response = await api.GetAsync("/api/v1/enterprises/acme/events");
            return (int)response.StatusCode;
        }
        var apiStatuses = new List<int>();
        for (var i = 0; i < 5; i++) apiStatuses.Add(await EventsAsync(proxy.BaseAddress));
        Assert.Equal([200, 200, 200, 200, 429], apiStatuses);
        Assert.Equal(429, await EventsAsync(server.BaseAddress));
        Assert.Equal(429, await EventsAsync(new Uri(other.Addresses[0])));
    }

    [Fact]
    public async Task Changes_made_through_the_proxy_are_delivered_to_a_webhook_once_each()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Postgres, webhooks: RosterTestHost.FastWebhooks);
        await using var other = await host.StartAnotherInstanceAsync(webhooks: RosterTestHost.FastWebhooks);
        await using var proxy = await NginxProxy.StartAsync([host.BaseAddress.Port, new Uri(other.Addresses[0]).Port]);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Webhooks.AddAsync(okta.Enterprise, receiver.Url, [], null, AuditActor.OwnerAccount("owner@acme.example"));
        using var http = new HttpClient { BaseAddress = new Uri(proxy.BaseAddress, okta.Enterprise.ScimPath + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {okta.Token}");

        var created = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await http.PostAsync("Users", new StringContent(
                $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"person{{i}}@acme.example","active":true}""",
                Encoding.UTF8, "application/scim+json"));
            return response.StatusCode;
        }));
        Assert.All(created, status => Assert.Equal(HttpStatusCode.Created, status));

        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count >= 30, "30 deliveries");
        // Once each is recorded delivered no instance can claim it again: the receiver's count is final.
        await WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(okta.Enterprise).Result.Count(d => d.State == DeliveryState.Delivered) == 30,
            "30 deliveries recorded as delivered");
        Assert.Equal(30, receiver.Requests.Count);
        Assert.Equal(30, receiver.Requests.Select(r => r.EventId).Distinct().Count());
    }
}
