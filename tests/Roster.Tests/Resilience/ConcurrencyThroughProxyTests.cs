using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Testing;
using Roster.Tests.Concurrency;

namespace Roster.Tests.Resilience;

/// <summary>
/// The concurrency promises of tests/Roster.Tests/Concurrency kept by several instances: 50 clients
/// through nginx in front of two <c>roster serve</c> processes on one PostgreSQL, and one of the two
/// killed (SIGKILL) in the middle of a round, while requests are in flight to it. Answers the kill cut
/// off (nginx's 502) are retried as an IdP retries them; such a request may or may not have been
/// applied, and each test's accounting allows exactly that much and no more.
/// </summary>
public sealed class ConcurrencyThroughProxyTests(ITestOutputHelper output)
{
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    [Fact]
    public async Task Fifty_clients_creating_one_userName_through_the_proxy_get_at_most_one_201_and_one_member_while_an_instance_dies()
    {
        await using var instances = await ProxiedInstances.StartAsync();
        var clients = await ConcurrentClients.ConnectAsync(instances.Open);
        const int rounds = 3;
        for (var round = 0; round < rounds; round++)
        {
            if (round == 1) instances.KillOneAfter(ConcurrentClients.Count / 4);
            var cutOffBefore = instances.CutOffs;
            var userName = $"race{round}@acme.example";
            var answers = await clients.RoundAsync((i, client) => instances.SendAsync(() => client.PostAsync("Users",
                $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{(i % 2 == 0 ? userName : userName.ToUpperInvariant())}}","title":"client {{i}}"}""")));

            var created = answers.Where(a => a.Status == 201).ToList();
            foreach (var conflict in answers.Where(a => a.Status != 201)) conflict.AssertError(409, "uniqueness");
            var found = (await instances.Scim.GetAsync($"Users?filter=userName%20eq%20%22{userName}%22")).AssertOk();
            Assert.Equal(1, found["totalResults"]!.GetValue<int>());
            if (created.Count == 1)
                Assert.Equal(created[0].Json["id"]!.GetValue<string>(), found["Resources"]![0]!["id"]!.GetValue<string>());
            else // the winner's 201 was the answer the kill cut off; its retry found its own member
                Assert.True(created.Count == 0 && instances.CutOffs > cutOffBefore, $"{created.Count} clients got 201 in round {round}");
        }
        await instances.KilledAsync();
        Assert.Equal(rounds, (await instances.Scim.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        output.WriteLine($"{rounds} rounds of {ConcurrentClients.Count} POSTs; {instances.Summary}");
    }

    [Fact]
    public async Task Concurrent_member_adds_and_removes_through_the_proxy_lose_no_change_while_an_instance_dies()
    {
        var random = new Random(ResilienceSeed.Next(output, "group PATCHes through nginx, one instance killed"));
        await using var instances = await ProxiedInstances.StartAsync();
        var n = ConcurrentClients.Count;
        var old = new List<string>();
        var added = new List<string>();
        for (var i = 0; i < n; i++)
        {
            old.Add((await instances.Scim.PostAsync("Users", User($"old{i}@acme.example"))).AssertOk(201)["id"]!.GetValue<string>());
            added.Add((await instances.Scim.PostAsync("Users", User($"new{i}@acme.example"))).AssertOk(201)["id"]!.GetValue<string>());
        }
        var groupId = (await instances.Scim.PostAsync("Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "Engineering",
            ["members"] = new JsonArray(old.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray()),
        }.ToJsonString())).AssertOk(201)["id"]!.GetValue<string>();

        var clients = await ConcurrentClients.ConnectAsync(instances.Open);
        var removeFirst = Enumerable.Range(0, n).Select(_ => random.Next(2) == 0).ToArray();
        // About 2.2 requests a client: the kill falls in the middle of them.
        instances.KillOneAfter(random.Next(n / 2, n + n / 2));
        var answers = await clients.RoundAsync(async (i, client) =>
        {
            // Okta's form (add with a value list) and Entra's (remove by a value filter path); a
            // retried add or remove that had been applied changes nothing the second time.
            var add = $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{added[i]}}"}]}]}""";
            var remove = $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"remove","path":"members[value eq \"{{old[i]}}\"]"}]}""";
            var (first, second) = removeFirst[i] ? (remove, add) : (add, remove);
            var one = await instances.SendAsync(() => client.PatchAsync($"Groups/{groupId}", first));
            if (one.Status >= 300) return one;
            if (i % 5 == 0)
            {
                var profile = await instances.SendAsync(() => client.PatchAsync($"Users/{old[i]}",
                    $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"replace","path":"title","value":"moved {{i}}"}]}"""));
                if (profile.Status >= 300) return profile;
            }
            return await instances.SendAsync(() => client.PatchAsync($"Groups/{groupId}", second));
        });
        await instances.KilledAsync();

        foreach (var answer in answers) Assert.True(answer.Status is 200 or 204, $"Expected 200 or 204, got {answer.Status}: {answer.Body}");
        var group = (await instances.Scim.GetAsync($"Groups/{groupId}")).AssertOk();
        var final = group["members"]?.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order().ToList() ?? [];
        Assert.Equal(added.Order().ToList(), final);
        foreach (var id in new[] { old[0], old[n - 1], added[0], added[n - 1] })
        {
            var groups = (await instances.Scim.GetAsync($"Users/{id}")).AssertOk()["groups"]?.AsArray().Select(g => g!["value"]!.GetValue<string>()).ToList() ?? [];
            Assert.Equal(added.Contains(id) ? [groupId] : [], groups);
        }
        output.WriteLine($"{n} clients, each a remove and an add (every fifth a profile PATCH too); {instances.Summary}");
    }

    [Fact]
    public async Task Fifty_clients_putting_with_If_Match_through_the_proxy_lose_no_update_while_an_instance_dies()
    {
        await using var instances = await ProxiedInstances.StartAsync();
        var path = $"Users/{(await instances.Scim.PostAsync("Users", Contended("start"))).AssertOk(201)["id"]!.GetValue<string>()}";
        var clients = await ConcurrentClients.ConnectAsync(instances.Open);
        var successes = new List<(int Version, string Title)>();
        var cutOffTitles = new List<string>();

        Task<ScimResponse> PutAsync(ScimClient client, string title, string etag) =>
            instances.SendAsync(() => ConcurrentIfMatchTests.PutIfMatchAsync(client, path, Contended(title), etag, (NginxProxy.TestRequestHeader, title)), () => { lock (cutOffTitles) cutOffTitles.Add(title); });

        const int lockstepRounds = 3;
        for (var round = 0; round < lockstepRounds; round++)
        {
            var read = await clients.RoundAsync((_, client) => instances.SendAsync(() => client.GetAsync(path)));
            var etags = read.Select(r => r.Headers.ETag!.ToString()).Distinct().ToList();
            Assert.Single(etags);
            if (round == 1) instances.KillOneAfter(ConcurrentClients.Count / 4);
            var cutOffBefore = instances.CutOffs;
            var r0 = round;
            var answers = await clients.RoundAsync((i, client) => PutAsync(client, $"round {r0} client {i}", etags[0]));
            var winners = answers.Where(a => a.Status == 200).ToList();
            foreach (var lost in answers.Where(a => a.Status != 200)) lost.AssertError(412);
            // One PUT against the read version wins; the kill may have cut off the winner's answer
            // (a 502, or nginx's resend to the other instance, answered 412).
            var cutOff = instances.CutOffs > cutOffBefore || instances.ResentRequests().Any(t => t.StartsWith($"round {r0} ", StringComparison.Ordinal));
            Assert.True(winners.Count == 1 || (winners.Count == 0 && cutOff), $"{winners.Count} PUTs won round {round}");
            successes.AddRange(winners.Select(w => (VersionOf(w.Json), w.Json["title"]!.GetValue<string>())));
        }
        await instances.KilledAsync();

        await clients.RoundAsync(async (i, client) =>
        {
            ScimResponse last = null!;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var got = (await instances.SendAsync(() => client.GetAsync(path)));
                got.AssertOk();
                last = await PutAsync(client, $"free client {i} attempt {attempt}", got.Headers.ETag!.ToString());
                if (last.Status == 200) lock (successes) successes.Add((VersionOf(last.Json), last.Json["title"]!.GetValue<string>()));
                else last.AssertError(412);
            }
            return last;
        });

        // Every acknowledged PUT made a version of its own; the only versions not accounted for by an
        // acknowledged PUT are those of PUTs whose answers the kill cut off: answered 502, or resent by
        // nginx to the other instance (PUT is idempotent to it), whose 412 then hides that the first
        // instance had applied it.
        var resent = instances.ResentRequests();
        cutOffTitles.AddRange(resent.Except(cutOffTitles));
        Assert.Equal(successes.Count, successes.Select(s => s.Version).Distinct().Count());
        var final = (await instances.Scim.GetAsync(path)).AssertOk();
        var finalVersion = VersionOf(final);
        var unacknowledged = finalVersion - 1 - successes.Count;
        Assert.InRange(unacknowledged, 0, cutOffTitles.Count);
        var lastAcknowledged = successes.MaxBy(s => s.Version);
        var finalTitle = final["title"]!.GetValue<string>();
        if (finalVersion == lastAcknowledged.Version) Assert.Equal(lastAcknowledged.Title, finalTitle);
        else Assert.Contains(finalTitle, cutOffTitles);
        output.WriteLine($"{lockstepRounds} lockstep rounds and 2 free PUTs a client; {successes.Count} acknowledged, {unacknowledged} applied but cut off; {resent.Count} PUTs resent by nginx (to the survivor, after the kill); {instances.Summary}");
    }

    static string User(string userName) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":true}""";

    static string Contended(string title) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"contended@acme.example","title":"{{title}}"}""";

    static int VersionOf(JsonObject user) =>
        int.Parse(user["meta"]!["version"]!.GetValue<string>().Replace("W/", "").Trim('"'), CultureInfo.InvariantCulture);

    /// <summary>Two <c>roster serve</c> on one PostgreSQL database behind nginx, an enterprise of the
    /// storm harness, and the one kill: after a given number of further answers, the second instance
    /// is SIGKILLed while the round goes on.</summary>
    sealed class ProxiedInstances : IAsyncDisposable
    {
        const int Attempts = 4;

        readonly TestDatabase database;
        readonly StormHarness storm;
        readonly RosterProcess first;
        readonly RosterProcess second;
        readonly NginxProxy proxy;
        int answered;
        int killAt = int.MaxValue;
        int cutOffs;
        Task? kill;

        ProxiedInstances(TestDatabase database, StormHarness storm, RosterProcess first, RosterProcess second, NginxProxy proxy)
        {
            this.database = database;
            this.storm = storm;
            this.first = first;
            this.second = second;
            this.proxy = proxy;
            Scim = Open();
        }

        /// <summary>A client for the test's own setup and checks, through the proxy.</summary>
        public ScimClient Scim { get; }

        /// <summary>Answers cut off by the kill (nginx answered 502, 503 or 504) and retried.</summary>
        public int CutOffs => Volatile.Read(ref cutOffs);

        public string Summary => $"{Volatile.Read(ref answered)} answers through nginx, {CutOffs} cut off by the kill and retried";

        public static async Task<ProxiedInstances> StartAsync()
        {
            var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
            var storm = await StormHarness.CreateAsync(await RosterDirectory.OpenAsync(RosterTestHost.StoreOf(database)));
            string[] store = ["--database", database.ConnectionString!];
            var first = await RosterProcess.StartAsync(store, StormHarness.Unlimited);
            var second = await RosterProcess.StartAsync(store, StormHarness.Unlimited);
            var proxy = await NginxProxy.StartAsync([first.Port, second.Port]);
            return new ProxiedInstances(database, storm, first, second, proxy);
        }

        public IReadOnlySet<string> ResentRequests() => proxy.ResentRequests();

        public ScimClient Open() => new(storm.Scim(proxy.BaseAddress), storm.Enterprise, storm.Token);

        /// <summary>SIGKILLs the second instance once <paramref name="moreAnswers"/> more answers have come.</summary>
        public void KillOneAfter(int moreAnswers) => Volatile.Write(ref killAt, Volatile.Read(ref answered) + moreAnswers);

        /// <summary>Sends as an IdP does: an answer of the proxy saying the instance is gone is retried.</summary>
        public async Task<ScimResponse> SendAsync(Func<Task<ScimResponse>> request, Action? onCutOff = null)
        {
            for (var attempt = 1; ; attempt++)
            {
                var answer = await request();
                if (answer.Status is 502 or 503 or 504 && attempt < Attempts)
                {
                    Interlocked.Increment(ref cutOffs);
                    onCutOff?.Invoke();
                    continue;
                }
                if (Interlocked.Increment(ref answered) == Volatile.Read(ref killAt)) kill = Task.Run(second.KillAsync);
                return answer;
            }
        }

        /// <summary>The kill happened, and only to the second instance.</summary>
        public async Task KilledAsync()
        {
            Assert.True(kill is not null, $"the kill was never triggered: {Summary}");
            await kill;
            Assert.True(second.HasExited);
            Assert.False(first.HasExited, first.Output);
        }

        public async ValueTask DisposeAsync()
        {
            await proxy.DisposeAsync();
            await second.DisposeAsync();
            await first.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
