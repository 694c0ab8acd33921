using Roster.Testing;

namespace Roster.Tests;

/// <summary>userName is unique per enterprise without regard to case, decided by the database's
/// unique index: concurrent creates of one person give exactly one member.</summary>
public sealed class UniquenessTests
{
    static string User(string userName) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":true}""";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_creates_of_one_userName_give_one_201_and_the_rest_409(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var spellings = Enumerable.Range(0, 12).Select(i => (i % 3) switch
        {
            0 => "race@acme.example",
            1 => "RACE@acme.example",
            _ => "Race@Acme.Example",
        }).ToList();

        var responses = await Task.WhenAll(spellings.Select(u => okta.PostAsync("Users", User(u))));

        Assert.Single(responses, r => r.Status == 201);
        foreach (var conflict in responses.Where(r => r.Status != 201)) conflict.AssertError(409, "uniqueness");
        Assert.Equal(1, (await okta.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        var failures = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: true, limit: 100);
        Assert.Equal(11, failures.Count(f => f.HttpStatus == 409));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Uniqueness_is_per_enterprise_and_applies_to_renames(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.CreateEnterpriseAsync("Acme");
        var globex = await host.CreateEnterpriseAsync("Globex");
        (await acme.PostAsync("Users", User("same@example.com"))).AssertOk(201);
        (await globex.PostAsync("Users", User("same@example.com"))).AssertOk(201);

        var other = (await acme.PostAsync("Users", User("other@example.com"))).AssertOk(201);
        var rename = (await acme.PutAsync($"Users/{other["id"]}", User("SAME@example.com"))).AssertError(409, "uniqueness");
        Assert.Contains("SAME@example.com", rename["detail"]!.GetValue<string>());
        Assert.Equal("other@example.com", (await acme.GetAsync($"Users/{other["id"]}")).AssertOk()["userName"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Delete_is_204_then_404_and_frees_the_userName(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var created = (await okta.PostAsync("Users", User("leaver@acme.example"))).AssertOk(201);
        var id = created["id"]!.GetValue<string>();
        var session = await host.Directory.Sessions.OpenAsync(okta.Enterprise, id, TimeSpan.FromHours(1));

        var deleted = await okta.DeleteAsync($"Users/{id}");
        Assert.Equal(204, deleted.Status);
        Assert.Equal("", deleted.Body);
        (await okta.GetAsync($"Users/{id}")).AssertError(404);
        (await okta.DeleteAsync($"Users/{id}")).AssertError(404);
        Assert.Null(await host.Directory.Sessions.ValidateAsync(session.Secret));
        Assert.Equal(0, (await host.Directory.Enterprises.SummarizeAsync(okta.Enterprise)).SeatsUsed);

        var again = (await okta.PostAsync("Users", User("leaver@acme.example"))).AssertOk(201);
        Assert.NotEqual(id, again["id"]!.GetValue<string>());
        // The history of the deleted member is kept.
        var history = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: false, limit: 10, targetId: id);
        Assert.Contains(history, e => e.Effect == "deleted");
        Assert.Contains(history, e => e.Effect == "provisioned");
    }
}
