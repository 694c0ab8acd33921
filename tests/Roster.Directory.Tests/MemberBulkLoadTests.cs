using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>The store's bulk path writes what one create writes, row for row, and each of its
/// transactions is whole or absent.</summary>
public sealed class MemberBulkLoadTests
{
    static JsonObject User(string userName, bool active = true) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.UserUrn, ScimSchemas.EnterpriseUserUrn),
        ["userName"] = userName,
        ["externalId"] = "ext-" + userName,
        ["displayName"] = "Person " + userName,
        ["name"] = new JsonObject { ["givenName"] = "Person", ["familyName"] = userName },
        ["emails"] = new JsonArray(
            new JsonObject { ["value"] = userName.ToUpperInvariant(), ["type"] = "work", ["primary"] = true },
            new JsonObject { ["value"] = "home-" + userName, ["type"] = "home" }),
        ["active"] = active,
        [ScimSchemas.EnterpriseUserUrn] = new JsonObject { ["department"] = "R&D", ["employeeNumber"] = "42" },
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_bulk_loaded_member_is_stored_exactly_as_a_created_one(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var type = ScimSchemas.UserResourceType;

        var created = await directory.Members.CreateAsync(acme, type, ResourceNormalizer.NormalizeRequestBody(User("jane@example.com", active: false), type),
            new ProvisioningAttempt { EnterpriseId = acme.Id, Method = "POST", Path = "/Users", Operation = "create", StartedAt = DateTimeOffset.UtcNow });
        var loaded = await directory.MemberBulkLoad.LoadAsync(globex, type, [User("jane@example.com", active: false), User("john@example.com")]);

        Assert.Equal(2, loaded.Count);
        var createdRow = await RowAsync(directory.Database, created.Id);
        var loadedRow = await RowAsync(directory.Database, loaded[0]);
        Assert.Equal(createdRow.Columns, loadedRow.Columns);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(createdRow.Resource), JsonNode.Parse(loadedRow.Resource)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(createdRow.Search), JsonNode.Parse(loadedRow.Search)));
        Assert.Equal(createdRow.Values, loadedRow.Values);
        Assert.NotEmpty(loadedRow.Values);

        // Found as the IdP finds members, and read back whole.
        var john = await directory.Members.GetAsync(globex, loaded[1]);
        Assert.Equal("john@example.com", john.UserName);
        Assert.True(john.Active);
        await Assert.ThrowsAnyAsync<Exception>(() => directory.Members.GetAsync(acme, loaded[1]));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_taken_userName_fails_its_own_transaction_and_leaves_the_earlier_ones(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        // Three transactions of two: the third's second member repeats the first's userName (case differs).
        var users = new[] { "a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example", "A@X.example" }.Select(u => User(u));

        await Assert.ThrowsAnyAsync<Exception>(() => directory.MemberBulkLoad.LoadAsync(acme, ScimSchemas.UserResourceType, users, perTransaction: 2));

        var stored = await directory.Database.ReadAsync(c => c.Command("SELECT user_name FROM members WHERE enterprise_id = @e ORDER BY user_name")
            .With("@e", acme.Id).ListAsync(r => r.GetString(0)));
        Assert.Equal(["a@x.example", "b@x.example", "c@x.example", "d@x.example"], stored);
        var values = await directory.Database.ReadAsync(c => c.Command("SELECT COUNT(*) FROM member_values WHERE enterprise_id = @e")
            .With("@e", acme.Id).ListAsync(r => r.GetInt64(0)));
        Assert.Equal(4 * 2, values[0]);
    }

    [Fact]
    public async Task Rows_beyond_one_statement_are_all_written()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");

        var ids = await directory.MemberBulkLoad.LoadAsync(acme, ScimSchemas.UserResourceType,
            Enumerable.Range(0, 1_234).Select(i => User($"user{i}@x.example")), perTransaction: 1_000);

        Assert.Equal(1_234, ids.Distinct().Count());
        var count = await directory.Database.ReadAsync(c => c.Command("SELECT COUNT(*) FROM members WHERE enterprise_id = @e")
            .With("@e", acme.Id).ListAsync(r => r.GetInt64(0)));
        Assert.Equal(1_234, count[0]);
    }

    sealed record StoredRow(string Columns, string Resource, string Search, string Values);

    static Task<StoredRow> RowAsync(RosterDatabase database, string id) => database.ReadAsync(async c =>
    {
        var row = await c.Command(
                "SELECT user_name, user_name_key, external_id, display_name, display_name_key, given_name, family_name, email, email_key, active, source, " +
                "version, deactivated_at IS NULL, resource, search FROM members WHERE id = @id").With("@id", id)
            .ListAsync(r => (Columns: string.Join("|", Enumerable.Range(0, 13).Select(i => r.IsDBNull(i) ? "null" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))),
                Resource: r.GetString(13), Search: r.GetString(14)));
        var values = await c.Command("SELECT attribute, type, value FROM member_values WHERE member_id = @id ORDER BY attribute, type, value").With("@id", id)
            .ListAsync(r => $"{r.GetString(0)}/{(r.IsDBNull(1) ? "" : r.GetString(1))}/{r.GetString(2)}");
        return new StoredRow(row.Single().Columns, row.Single().Resource, row.Single().Search, string.Join(";", values));
    });
}
