using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Tests.Hostile;

/// <summary>
/// Migration 0020 re-keys what older Roster versions stored (keys lower-cased, not normalized): after
/// it, a member stored with a decomposed name is found by the composed one and blocks it as a
/// duplicate; where two live members of one enterprise fold to one key, neither is lost.
/// </summary>
public sealed class KeyRefoldingMigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Stored_keys_are_refolded_and_colliding_members_both_stay(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        async Task<string> Create(string userName) => (await client.PostAsync("Users",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","emails":[{"value":"{{userName}}"}],"displayName":"{{userName}}"}"""))
            .AssertOk(201)["id"]!.GetValue<string>();
        var jose = await Create("jose-placeholder@acme.example");
        var older = await Create("maria-older@acme.example");
        var newer = await Create("maria-newer@acme.example");
        var gone = await Create("gone@acme.example");
        Assert.Equal(204, (await client.DeleteAsync($"Users/{gone}")).Status);
        var group = (await client.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"placeholder"}"""))
            .AssertOk(201)["id"]!.GetValue<string>();

        // The rows as Roster 0019 left them: names as sent, keys only lower-cased.
        var database = host.Directory.Database;
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            async Task Member(string id, string userName) =>
                await connection.Command("UPDATE members SET user_name = @u, user_name_key = @k, email = @u, email_key = @k, display_name = @u, display_name_key = @k WHERE id = @id", transaction)
                    .With("@u", userName).With("@k", userName.ToLowerInvariant()).With("@id", id).ExecuteAsync();
            await Member(jose, "JOSE\u0301@acme.example");
            await Member(older, "Ma\u0301ria@acme.example");
            await Member(newer, "M\u00e1ria@acme.example");
            await Member(gone, "Gone\u0301@acme.example");
            await connection.Command("UPDATE groups SET display_name = @n, display_name_key = @k WHERE id = @id", transaction)
                .With("@n", "RE\u0301SEAU").With("@k", "re\u0301seau").With("@id", group).ExecuteAsync();
            await connection.Command("DELETE FROM schema_migrations WHERE version = 20", transaction).ExecuteAsync();
        });

        await new Migrator(database).ApplyAsync();

        var keys = await database.ReadAsync(c => c.Command("SELECT id, user_name_key, email_key, display_name_key FROM members WHERE enterprise_id = @e")
            .With("@e", client.Enterprise.Id).ListAsync(r => (Id: r.GetString(0), User: r.GetString(1), Email: r.GetString(2), Display: r.GetString(3))));
        var byId = keys.ToDictionary(k => k.Id);
        Assert.Equal(("jos\u00e9@acme.example", "jos\u00e9@acme.example", "jos\u00e9@acme.example"), (byId[jose].User, byId[jose].Email, byId[jose].Display));
        // The newer one already held the folded key: it keeps it; the older keeps its old key (unique
        // keys only: its email and display name keys, not unique, are refolded).
        Assert.Equal("m\u00e1ria@acme.example", byId[newer].User);
        Assert.Equal("ma\u0301ria@acme.example", byId[older].User);
        Assert.Equal("m\u00e1ria@acme.example", byId[older].Email);
        Assert.Equal("gone\u0301@acme.example".Replace("e\u0301", "\u00e9", StringComparison.Ordinal), byId[gone].User);
        var groupKey = (await database.ReadAsync(c => c.Command("SELECT display_name_key FROM groups WHERE id = @id").With("@id", group).ListAsync(r => r.GetString(0))))[0];
        Assert.Equal("r\u00e9seau", groupKey);
        var applied = await database.ReadAsync(c => c.Command("SELECT count(*) FROM schema_migrations WHERE version = 20").ScalarLongAsync());
        Assert.Equal(1, applied);

        // Over SCIM: the composed spelling finds the decomposed member and cannot be created again.
        var found = (await client.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jos\u00e9@acme.example\""))).AssertOk();
        Assert.Equal(jose, found["Resources"]![0]!["id"]!.GetValue<string>());
        (await client.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Jos\u00e9@acme.example"}""")).AssertError(409, "uniqueness");
        (await client.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"r\u00e9seau"}""")).AssertError(409, "uniqueness");
        Assert.Equal(3, (await client.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
    }
}
