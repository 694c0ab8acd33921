using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>The schemas enterprises declare: kept per enterprise, read by every request, and removed
/// only with the values members carry of them.</summary>
public sealed class DeclaredSchemaStoreTests
{
    const string AcmeUrn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";

    static readonly SchemaDefinition Acme = SchemaResourceParser.Parse(JsonNode.Parse($$"""
        {"id":"{{AcmeUrn}}","name":"AcmeUser","attributes":[
          {"name":"costCenter","type":"string"},{"name":"badgeNumber","type":"integer"},{"name":"rate","type":"decimal"},
          {"name":"code","caseExact":true},{"name":"tags","multiValued":true},
          {"name":"desk","type":"complex","subAttributes":[{"name":"building"},{"name":"floor","type":"integer"}]}]}
        """));

    static SchemaDefinition Schema(string urn) =>
        SchemaResourceParser.Parse(JsonNode.Parse($$"""{"id":"{{urn}}","attributes":[{"name":"color"}]}"""));

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Schemas_are_declared_per_enterprise_and_make_its_user_type(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        Assert.Same(ScimSchemas.UserResourceType, await directory.Schemas.UserResourceTypeAsync(acme));

        // Oldest first; two added in the same millisecond go by URN, which here is the same order.
        await directory.Schemas.AddAsync(acme, Schema("urn:example:acme:Badge"));
        var declared = await directory.Schemas.AddAsync(acme, Acme);
        Assert.Equal(AcmeUrn, declared.Urn);
        Assert.Equal(acme.Id, declared.EnterpriseId);

        var listed = await directory.Schemas.ListAsync(acme);
        Assert.Equal(["urn:example:acme:Badge", AcmeUrn], listed.Select(s => s.Urn).ToArray());
        Assert.Equal(AttributeType.Integer, listed[1].Definition.FindAttribute("badgeNumber")!.Type);
        var type = await directory.Schemas.UserResourceTypeAsync(acme);
        Assert.Equal([ScimSchemas.EnterpriseUserUrn, "urn:example:acme:Badge", AcmeUrn], type.Extensions.Select(e => e.Schema.Id).ToArray());

        // Another enterprise sees none of it, and may declare the same URN for itself.
        Assert.Empty(await directory.Schemas.ListAsync(globex));
        Assert.Same(ScimSchemas.UserResourceType, await directory.Schemas.UserResourceTypeAsync(globex));
        await directory.Schemas.AddAsync(globex, Schema(AcmeUrn));
        Assert.Equal(AttributeType.Integer, (await directory.Schemas.ListAsync(acme))[1].Definition.FindAttribute("badgeNumber")!.Type);
        Assert.Null((await directory.Schemas.ListAsync(globex))[0].Definition.FindAttribute("badgeNumber"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_urn_is_declared_once_and_never_beside_one_it_would_make_ambiguous(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        await directory.Schemas.AddAsync(acme, Acme);

        var again = await Assert.ThrowsAsync<RosterException>(() => directory.Schemas.AddAsync(acme, Schema(AcmeUrn.ToUpperInvariant())));
        Assert.Contains($"already declares '{AcmeUrn}'", again.Message);
        var longer = await Assert.ThrowsAsync<RosterException>(() => directory.Schemas.AddAsync(acme, Schema(AcmeUrn + ":Badge")));
        Assert.Contains("ambiguous", longer.Message);
        var enterpriseExtension = await Assert.ThrowsAsync<RosterException>(() =>
            directory.Schemas.AddAsync(acme, Schema(ScimSchemas.EnterpriseUserUrn + ":acme")));
        Assert.Contains("ambiguous", enterpriseExtension.Message);
        Assert.Single(await directory.Schemas.ListAsync(acme));

        var unknown = await Assert.ThrowsAsync<RosterException>(() => directory.Schemas.RemoveAsync(acme, "urn:example:nothing", force: false));
        Assert.Contains("declares no schema 'urn:example:nothing'", unknown.Message);
    }

    /// <summary>Another process (the command line beside a running server) declares a schema: the
    /// server's next request has it, and loses it as soon as it is removed.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_user_type_follows_changes_made_by_another_process(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var server = await RosterDirectory.OpenAsync(fixture.Options);
        var cli = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await server.Enterprises.CreateAsync("Acme");
        Assert.Null((await server.Schemas.UserResourceTypeAsync(acme)).FindExtension(AcmeUrn));

        await cli.Schemas.AddAsync(acme, Acme);
        var type = await server.Schemas.UserResourceTypeAsync(acme);
        Assert.NotNull(type.FindExtension(AcmeUrn));
        Assert.Same(type, await server.Schemas.UserResourceTypeAsync(acme)); // unchanged definitions are not parsed again

        await cli.Schemas.RemoveAsync(acme, AcmeUrn, force: false);
        Assert.Null((await server.Schemas.UserResourceTypeAsync(acme)).FindExtension(AcmeUrn));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Removing_a_schema_members_carry_values_of_takes_force_and_takes_the_values(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        await directory.Schemas.AddAsync(acme, Acme);
        await directory.Schemas.AddAsync(globex, Acme);
        var type = await directory.Schemas.UserResourceTypeAsync(acme);

        var ann = await CreateAsync(directory, acme, type, "ann", """{"costCenter":"AB-12","badgeNumber":7}""");
        var bob = await CreateAsync(directory, acme, type, "bob", null);
        var gone = await CreateAsync(directory, acme, type, "gone", """{"costCenter":"X"}""");
        await directory.Members.DeleteAsync(acme, gone.Id, Attempt(acme));
        var elsewhere = await CreateAsync(directory, globex, type, "ann", """{"costCenter":"AB-12"}""");

        // The search document folds the declared string, so the filter finds it whatever its case.
        var filter = ScimFilterParser.Parse(AcmeUrn + ":costCenter eq \"ab-12\"", type);
        var (found, _) = await directory.Members.ListAsync(acme, new MemberFilterTranslator(directory.Database.Dialect).Translate(filter), 1, 10);
        Assert.Equal(1, found);

        var refused = await Assert.ThrowsAsync<RosterException>(() => directory.Schemas.RemoveAsync(acme, AcmeUrn, force: false));
        Assert.Contains("1 member of 'acme' carries values", refused.Message);
        Assert.Contains("--force", refused.Message);
        Assert.Single(await directory.Schemas.ListAsync(acme));
        Assert.Equal(1, (await directory.Members.GetAsync(acme, ann.Id)).Version);

        var removed = await directory.Schemas.RemoveAsync(acme, AcmeUrn.ToUpperInvariant(), force: true);
        Assert.Equal(AcmeUrn, removed.Urn);
        Assert.Empty(await directory.Schemas.ListAsync(acme));
        var annAfter = await directory.Members.GetAsync(acme, ann.Id);
        Assert.False(annAfter.Resource.ContainsKey(AcmeUrn));
        Assert.Equal("ann@acme.example", annAfter.UserName);
        Assert.Equal(2, annAfter.Version);
        Assert.Equal(1, (await directory.Members.GetAsync(acme, bob.Id)).Version); // nothing to take
        Assert.Equal(0, await SearchDocumentsCarryingAsync(directory, acme));

        // Another enterprise's schema and members are untouched; deleted members keep their history.
        Assert.Single(await directory.Schemas.ListAsync(globex));
        Assert.True((await directory.Members.GetAsync(globex, elsewhere.Id)).Resource.ContainsKey(AcmeUrn));
        var history = await directory.Database.ReadAsync(c => c.Command("SELECT resource FROM members WHERE id = @id").With("@id", gone.Id)
            .ListAsync(r => r.GetString(0)));
        Assert.Contains(AcmeUrn, Assert.Single(history));
    }

    /// <summary>Filters on the declared attributes; "@" stands for the schema's URN and ':'.</summary>
    public static TheoryData<string, string, int> Filters(string kind) => new()
    {
        { kind, "@costCenter eq \"ab-12\"", 1 },
        { kind, "@costCenter co \"B\"", 2 },
        { kind, "@costCenter gt \"b\"", 1 },
        { kind, "@badgeNumber eq 7", 1 },
        { kind, "@badgeNumber gt 5", 3 },
        { kind, "@badgeNumber le 7", 1 },
        { kind, "@badgeNumber ne 7", 2 },
        { kind, "@rate ge 1.5", 1 },
        { kind, "@rate lt 2", 2 },
        { kind, "@code eq \"Xy\"", 1 },
        { kind, "@code eq \"xy\"", 0 },
        { kind, "@tags eq \"ONCALL\"", 2 },
        { kind, "@desk.building sw \"nor\"", 1 },
        { kind, "@desk.floor gt 2", 1 },
        { kind, "@desk[building eq \"NORTH\" and floor eq 3]", 1 },
        { kind, "@badgeNumber pr and not (@rate pr)", 1 },
        { kind, "@costCenter eq null", 2 },
    };

    public static TheoryData<string, string, int> SqliteFilters() => Filters(TestDatabase.Sqlite);
    public static TheoryData<string, string, int> PostgresFilters() => Filters(TestDatabase.Postgres);

    /// <summary>Declared attributes of every type, filtered in the database: it finds exactly what the
    /// in-memory evaluator accepts (the oracle of <see cref="MemberFilterTranslatorTests"/>).</summary>
    [Theory]
    [MemberData(nameof(SqliteFilters))]
    [MemberData(nameof(PostgresFilters))]
    public async Task Declared_attributes_filter_in_the_database_as_the_evaluator_does(string kind, string filterText, int expected)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        await directory.Schemas.AddAsync(acme, Acme);
        var type = await directory.Schemas.UserResourceTypeAsync(acme);
        var all = new List<Member>
        {
            await CreateAsync(directory, acme, type, "ann", """{"costCenter":"AB-12","badgeNumber":7,"rate":1.5,"code":"Xy","tags":["OnCall"],"desk":{"building":"North","floor":3}}"""),
            await CreateAsync(directory, acme, type, "bob", """{"costCenter":"Ops-B","badgeNumber":12,"rate":0.25,"tags":["oncall","remote"],"desk":{"building":"South","floor":1}}"""),
            await CreateAsync(directory, acme, type, "cy", """{"badgeNumber":30}"""),
            await CreateAsync(directory, acme, type, "dee", null),
        };

        var filter = ScimFilterParser.Parse(filterText.Replace("@", AcmeUrn + ":"), type);
        var (total, page) = await directory.Members.ListAsync(acme, new MemberFilterTranslator(directory.Database.Dialect).Translate(filter), 1, 100);

        var oracle = all.Where(m => ScimFilterEvaluator.Matches(m.Resource, filter)).Select(m => m.Id).ToHashSet();
        Assert.Equal(expected, oracle.Count);
        Assert.Equal(oracle.Count, total);
        Assert.Equal(oracle.Order(), page.Select(m => m.Id).Order());
    }

    static Task<long> SearchDocumentsCarryingAsync(RosterDirectory directory, Enterprise enterprise) =>
        directory.Database.ReadAsync(c => c.Command(
                $"SELECT count(*) FROM members WHERE enterprise_id = @e AND deleted_at IS NULL AND {directory.Database.Dialect.JsonDocument("search", [AcmeUrn])} IS NOT NULL")
            .With("@e", enterprise.Id).ScalarLongAsync());

    static async Task<Member> CreateAsync(RosterDirectory directory, Enterprise enterprise, ResourceTypeDefinition type, string name, string? acme)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.UserUrn),
            ["userName"] = $"{name}@acme.example",
        };
        if (acme is not null) body[AcmeUrn] = JsonNode.Parse(acme);
        return await directory.Members.CreateAsync(enterprise, type, ResourceNormalizer.NormalizeRequestBody(body, type), Attempt(enterprise));
    }

    static ProvisioningAttempt Attempt(Enterprise enterprise) => new()
    {
        EnterpriseId = enterprise.Id, Method = "POST", Path = "/test", Operation = "create", StartedAt = DateTimeOffset.UtcNow,
    };
}
