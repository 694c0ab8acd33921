using System.Text;
using Roster.Testing;

namespace Roster.Tests.Concurrency;

/// <summary>50 clients PUT one User with If-Match under contention: a PUT made against a version that
/// another PUT has replaced gets 412 and changes nothing, so no update is lost. Every successful PUT
/// has a version of its own, and the User ends as the last successful PUT left it.</summary>
public sealed class ConcurrentIfMatchTests
{
    const int LockstepRounds = 2;
    const int FreeAttemptsPerClient = 2;

    static string User(string title) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"contended@acme.example","title":"{{title}}"}""";

    /// <summary>A PUT with If-Match; <paramref name="headers"/> adds any other (a proxy test names its requests).</summary>
    internal static async Task<ScimResponse> PutIfMatchAsync(ScimClient client, string path, string body, string etag,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, Encoding.UTF8, ScimClient.ScimJson) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.Http.SendAsync(request);
        return await ScimResponse.ReadAsync(response);
    }

    static int VersionOf(ScimResponse response) =>
        int.Parse(response.Json["meta"]!["version"]!.GetValue<string>().Replace("W/", "").Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Fifty_clients_putting_with_If_Match_get_412s_and_lose_no_update(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var idp = await host.CreateEnterpriseAsync("Acme");
        var path = $"Users/{(await idp.PostAsync("Users", User("start"))).AssertOk(201)["id"]!.GetValue<string>()}";
        var clients = await ConcurrentClients.ConnectAsync(host, idp);
        var successes = new List<(int Version, string Title)>();

        // In lockstep: all read the same version, then all PUT against it: exactly one wins.
        for (var round = 0; round < LockstepRounds; round++)
        {
            var read = await clients.RoundAsync((_, client) => client.GetAsync(path));
            var etags = read.Select(r => r.Headers.ETag!.ToString()).Distinct().ToList();
            Assert.Single(etags);
            var r0 = round;
            var answers = await clients.RoundAsync((i, client) => PutIfMatchAsync(client, path, User($"round {r0} client {i}"), etags[0]));
            var winner = Assert.Single(answers, a => a.Status == 200);
            foreach (var lost in answers.Where(a => a.Status != 200)) lost.AssertError(412);
            Assert.Equal(VersionOf(read[0]) + 1, VersionOf(winner));
            successes.Add((VersionOf(winner), winner.Json["title"]!.GetValue<string>()));
        }

        // Free-running: each client reads and PUTs against what it read, several times, as it pleases.
        var free = await clients.RoundAsync(async (i, client) =>
        {
            ScimResponse last = null!;
            for (var attempt = 0; attempt < FreeAttemptsPerClient; attempt++)
            {
                var got = await client.GetAsync(path);
                got.AssertOk();
                last = await PutIfMatchAsync(client, path, User($"free client {i} attempt {attempt}"), got.Headers.ETag!.ToString());
                ConcurrentClients.AssertNoServerError([last]);
                if (last.Status == 200) lock (successes) successes.Add((VersionOf(last), last.Json["title"]!.GetValue<string>()));
                else last.AssertError(412);
            }
            return last;
        });

        // Each success made a version of its own, one after the other: none overwrote another unseen.
        Assert.Equal(successes.Count, successes.Select(s => s.Version).Distinct().Count());
        var final = (await idp.GetAsync(path)).AssertOk();
        var finalVersion = int.Parse(final["meta"]!["version"]!.GetValue<string>().Replace("W/", "").Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1 + successes.Count, finalVersion);
        Assert.Equal(Enumerable.Range(2, successes.Count), successes.Select(s => s.Version).Order());
        Assert.Equal(successes.MaxBy(s => s.Version).Title, final["title"]!.GetValue<string>());
        Assert.True(successes.Count > LockstepRounds, "no free-running PUT succeeded");
    }
}
