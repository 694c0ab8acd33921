using Roster.Testing;

namespace Roster.Tests.Concurrency;

/// <summary>50 clients POST one userName at the same moment: the database's unique index decides,
/// one 201 and 49 409 uniqueness, one member, and every refusal in the provisioning log.</summary>
public sealed class ConcurrentCreateTests
{
    const int Rounds = 2;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Fifty_clients_creating_one_userName_get_exactly_one_201_and_49_409s(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var idp = await host.CreateEnterpriseAsync("Acme");
        var clients = await ConcurrentClients.ConnectAsync(host, idp);

        for (var round = 0; round < Rounds; round++)
        {
            var userName = $"race{round}@acme.example";
            // Each client spells it its own way (case): still one person.
            var answers = await clients.RoundAsync((i, client) => client.PostAsync("Users",
                $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{(i % 2 == 0 ? userName : userName.ToUpperInvariant())}}","title":"client {{i}}"}"""));

            var created = Assert.Single(answers, a => a.Status == 201);
            foreach (var conflict in answers.Where(a => a.Status != 201)) conflict.AssertError(409, "uniqueness");
            var found = (await idp.GetAsync($"Users?filter=userName%20eq%20%22{userName}%22")).AssertOk();
            Assert.Equal(1, found["totalResults"]!.GetValue<int>());
            Assert.Equal(created.Json["id"]!.GetValue<string>(), found["Resources"]![0]!["id"]!.GetValue<string>());
            // The winner's own body is the one kept.
            Assert.Equal(created.Json["title"]!.GetValue<string>(), found["Resources"]![0]!["title"]!.GetValue<string>());
        }
        Assert.Equal(Rounds, (await idp.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        var failures = await host.Directory.Log.QueryAsync(idp.Enterprise, failedOnly: true, limit: 1000);
        Assert.Equal(Rounds * (ConcurrentClients.Count - 1), failures.Count(f => f.HttpStatus == 409));
    }
}
