using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>
/// Filters run in the database. The in-memory evaluator of Roster.Scim is the oracle: for every
/// filter, the members the SQL finds (and counts) are exactly those the evaluator accepts.
/// </summary>
public sealed class MemberFilterTranslatorTests
{
    const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>Five members whose attributes differ in every way a filter can tell apart.</summary>
    static readonly string[] People =
    [
        """
            {"userName":"ann@acme.example","externalId":"E1","active":true,"title":"Engineer","displayName":"Ann Ålund",
            "name":{"givenName":"Ann","familyName":"Ålund"},
            "emails":[{"value":"Ann@Acme.example","type":"work","primary":true},{"value":"ann@home.example","type":"home"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701","department":"R&D","manager":{"value":"m-1"}}}
            """,
        """
            {"userName":"bob@acme.example","externalId":"e2","active":false,"title":"engineer",
            "name":{"givenName":"Bob","familyName":"Berg"},
            "emails":[{"value":"bob@acme.example","type":"home"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"702","department":"Sales"}}
            """,
        """
            {"userName":"Carol@Globex.example","active":true,"displayName":"ÉLODIE Carol",
            "name":{"givenName":"Carol","familyName":"Ceder"},
            "emails":[{"value":"carol@globex.example","type":"work"}]}
            """,
        """
            {"userName":"dave@acme.example","externalId":"E4","active":true,"title":"Manager",
            "phoneNumbers":[{"value":"+1 555 0100","type":"work"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"704"}}
            """,
        """
            {"userName":"eve_100%@acme.example","externalId":"E5","active":false,"displayName":"élodie Eve",
            "emails":[{"value":"eve@acme.example","type":"work","primary":true},{"value":"eve@other.example","type":"work"}]}
            """,
    ];

    public static TheoryData<string, string, int> Filters(string kind) => new()
    {
        // columns
        { kind, "userName eq \"ANN@acme.example\"", 1 },
        { kind, "userName ne \"ann@acme.example\"", 4 },
        { kind, "userName co \"ACME\"", 4 },
        { kind, "userName co \"100%\"", 1 },
        { kind, "userName co \"_\"", 1 },
        { kind, "userName co \"\"", 5 },
        { kind, "userName sw \"c\"", 1 },
        { kind, "userName ew \".EXAMPLE\"", 5 },
        { kind, "userName gt \"c\"", 3 },
        { kind, "userName le \"bob@acme.example\"", 2 },
        { kind, "externalId eq \"E1\"", 1 },
        { kind, "externalId eq \"e1\"", 0 },
        { kind, "externalId ne \"E1\"", 3 },
        { kind, "externalId pr", 4 },
        { kind, "not (externalId pr)", 1 },
        { kind, "externalId eq null", 1 },
        { kind, "active eq false", 2 },
        { kind, "active ne true", 2 },
        { kind, "(userName sw \"a\" or userName sw \"c\") and active eq true", 2 },
        { kind, "not (userName eq \"ann@acme.example\" or active eq false)", 2 },
        { kind, "meta.created ge \"2000-01-01T00:00:00Z\"", 5 },
        { kind, "meta.lastModified lt \"2000-01-01T00:00:00Z\"", 0 },
        { kind, "id pr and userName pr", 5 },
        // the stored resource: singular attributes, case folding (Unicode too), sub-attributes
        { kind, "title eq \"ENGINEER\"", 2 },
        { kind, "title pr", 3 },
        { kind, "displayName sw \"élodie\"", 2 },
        { kind, "displayName co \"ålund\"", 1 },
        { kind, "name.familyName eq \"ÅLUND\"", 1 },
        { kind, "name.givenName gt \"b\"", 2 },
        { kind, "name pr", 3 },
        { kind, "not (name.givenName pr)", 2 },
        // multi-valued: any value, value filters, ne on several values
        { kind, "emails.value eq \"ann@acme.example\"", 1 },
        { kind, "emails co \"@acme.example\"", 3 },
        { kind, "emails[type eq \"work\" and value co \"acme\"]", 2 },
        { kind, "emails[type eq \"work\"].value eq \"ANN@ACME.EXAMPLE\"", 1 },
        { kind, "emails[type eq \"home\"]", 2 },
        { kind, "emails[primary eq true]", 2 },
        { kind, "emails.type ne \"work\"", 2 },
        { kind, "emails pr", 4 },
        { kind, "not (emails pr)", 1 },
        { kind, "emails.value eq null", 1 },
        { kind, "phoneNumbers[type eq \"work\" and value sw \"+1\"]", 1 },
        { kind, "emails[not (type eq \"work\")]", 2 },
        // extension attributes, qualified and not
        { kind, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"702\"", 1 },
        { kind, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber gt \"701\"", 2 },
        { kind, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department co \"r&d\"", 1 },
        { kind, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m-1\"", 1 },
        { kind, "employeeNumber pr", 3 },
    };

    public static TheoryData<string, string, int> SqliteFilters() => Filters(TestDatabase.Sqlite);
    public static TheoryData<string, string, int> PostgresFilters() => Filters(TestDatabase.Postgres);

    [Theory]
    [MemberData(nameof(SqliteFilters))]
    [MemberData(nameof(PostgresFilters))]
    public async Task The_database_finds_what_the_evaluator_accepts(string kind, string filterText, int expected)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var enterprise = await directory.Enterprises.CreateAsync("Acme");
        var other = await directory.Enterprises.CreateAsync("Other");
        var all = new List<Member>();
        foreach (var person in People)
        {
            all.Add(await CreateAsync(directory, enterprise, person));
            await CreateAsync(directory, other, person); // never seen through Acme
        }

        var type = ScimSchemas.UserResourceType;
        var filter = ScimFilterParser.Parse(filterText, type);
        var condition = new MemberFilterTranslator(directory.Database.Dialect).Translate(filter);
        var (total, page) = await directory.Members.ListAsync(enterprise, condition, 1, 100);

        var oracle = all.Where(m => ScimFilterEvaluator.Matches(Render(m), filter)).Select(m => m.Id).ToHashSet();
        Assert.Equal(expected, oracle.Count);
        Assert.Equal(oracle.Count, total);
        Assert.Equal(oracle.OrderBy(id => id), page.Select(m => m.Id).OrderBy(id => id));
    }

    [Theory]
    [InlineData("schemas eq \"urn:ietf:params:scim:schemas:core:2.0:User\"")]
    [InlineData("active eq \"yes\"")]
    [InlineData("meta.created gt \"yesterday\"")]
    [InlineData("userName gt null")]
    public void Filters_it_cannot_run_in_the_database_are_refused_not_ignored(string filterText)
    {
        ScimException error;
        try
        {
            var filter = ScimFilterParser.Parse(filterText, ScimSchemas.UserResourceType);
            error = Assert.Throws<ScimException>(() => new MemberFilterTranslator(Roster.Directory.Storage.SqliteDialect.Instance).Translate(filter));
        }
        catch (ScimException parseError)
        {
            error = parseError; // refused by the grammar already
        }
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
    }

    static async Task<Member> CreateAsync(RosterDirectory directory, Enterprise enterprise, string person)
    {
        var body = JsonNode.Parse(person)!.AsObject();
        body["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", Enterprise);
        var resource = ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType);
        var attempt = new ProvisioningAttempt
        {
            EnterpriseId = enterprise.Id, Method = "POST", Path = "/test", Operation = "create", StartedAt = DateTimeOffset.UtcNow,
        };
        return await directory.Members.CreateAsync(enterprise, ScimSchemas.UserResourceType, resource, attempt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SortBy_orders_by_any_singular_attribute_with_absent_values_last(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var enterprise = await directory.Enterprises.CreateAsync("Acme");
        foreach (var person in People) await CreateAsync(directory, enterprise, person);
        var translator = new MemberFilterTranslator(directory.Database.Dialect);

        async Task<string[]> Sorted(string sortBy, SortOrder order)
        {
            var path = ScimPathParser.Parse(sortBy, ScimSchemas.UserResourceType).Attribute;
            var (_, page) = await directory.Members.ListAsync(enterprise, null, 1, 100, translator.OrderBy(path, order));
            return page.Select(m => m.UserName.Split('@')[0]).ToArray();
        }

        Assert.Equal(["ann", "bob", "Carol", "dave", "eve_100%"], await Sorted("userName", SortOrder.Ascending));
        Assert.Equal(["eve_100%", "dave", "Carol", "bob", "ann"], await Sorted("userName", SortOrder.Descending));
        // Case-insensitive: "élodie Eve" and "ÉLODIE Carol" sort together, by their folded text.
        Assert.Equal(["ann", "Carol", "eve_100%", "bob", "dave"], await Sorted("displayName", SortOrder.Ascending));
        // Absent values come last in both directions; ties (and the absent) keep the creation order.
        Assert.Equal(["bob", "Carol", "ann", "dave", "eve_100%"], await Sorted("name.familyName", SortOrder.Ascending));
        Assert.Equal(["ann", "Carol", "bob", "dave", "eve_100%"], await Sorted("name.familyName", SortOrder.Descending));
        Assert.Equal(["ann", "bob", "dave", "Carol", "eve_100%"], await Sorted(Enterprise + ":employeeNumber", SortOrder.Ascending));
        Assert.Throws<ScimException>(() => translator.OrderBy(ScimPathParser.Parse("emails.value", ScimSchemas.UserResourceType).Attribute, SortOrder.Ascending));
    }

    static JsonObject Render(Member member) => ResourceWriter.Render(ScimSchemas.UserResourceType, member.Id, member.Resource,
        new ResourceMeta(member.Created, member.LastModified, member.Version, "https://roster.test/Users/" + member.Id));
}

public sealed class MemberFilterIndexTests
{
    static string Sql(string filter) =>
        new MemberFilterTranslator(Roster.Directory.Storage.PostgresDialect.Instance)
            .Translate(ScimFilterParser.Parse(filter, ScimSchemas.UserResourceType)).Sql;

    [Theory]
    [InlineData("userName eq \"a@b.c\"", "user_name_key")]
    [InlineData("displayName eq \"Ann\"", "display_name_key")]
    [InlineData("externalId eq \"x\"", "external_id")]
    [InlineData("emails.value eq \"a@b.c\"", "member_values")]
    [InlineData("emails[type eq \"work\"].value eq \"a@b.c\"", "member_values")]
    [InlineData("emails[value eq \"a@b.c\" and type eq \"work\"]", "member_values")]
    [InlineData("phoneNumbers[type eq \"mobile\" and value eq \"+1\"]", "member_values")]
    public void The_lookups_IdPs_make_use_an_indexed_column_or_table(string filter, string index)
    {
        var sql = Sql(filter);
        Assert.Contains(index, sql);
        Assert.DoesNotContain("jsonb_array_elements", sql);
    }

    [Theory]
    [InlineData("emails[type eq \"work\" and value co \"a\"]")]
    [InlineData("emails[type eq \"work\" or value eq \"a\"]")]
    [InlineData("emails.value ne \"a\"")]
    [InlineData("emails[primary eq true and value eq \"a\"]")]
    public void Other_shapes_read_the_stored_resource(string filter) =>
        Assert.DoesNotContain("member_values", Sql(filter));
}

public sealed class MemberIndexPlanTests
{
    /// <summary>The filters IdPs send for incremental reads and deactivated members are served by an
    /// index, not by reading the enterprise's members (SQLite's plan says so without any data).</summary>
    [Theory]
    [InlineData("meta.lastModified gt \"2026-01-01T00:00:00Z\"", "members_last_modified")]
    [InlineData("active eq false", "members_active")]
    [InlineData("userName eq \"a@b.c\"", "members_user_name")]
    [InlineData("displayName eq \"Ann\"", "members_display_name")]
    [InlineData("externalId eq \"x\"", "members_external_id")]
    public async Task The_plan_uses_the_index(string filter, string index)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(Roster.Testing.TestDatabase.Sqlite);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var condition = new MemberFilterTranslator(directory.Database.Dialect).Translate(ScimFilterParser.Parse(filter, ScimSchemas.UserResourceType));
        var plan = await directory.Database.ReadAsync(async connection =>
        {
            var command = connection.Command($"EXPLAIN QUERY PLAN SELECT id FROM members WHERE enterprise_id = @e AND deleted_at IS NULL AND ({condition.Sql})")
                .With("@e", "e1");
            foreach (var (name, value) in condition.Parameters) command.With(name, value);
            return string.Join("\n", await command.ListAsync(r => r.GetString(r.FieldCount - 1)));
        });
        Assert.Contains(index, plan);
    }

    [Theory]
    [InlineData("userName eq \"Ann@Acme.example\"", true)]
    [InlineData("id eq \"01a2\"", true)]
    [InlineData("userName co \"ann\"", false)]
    [InlineData("userName sw \"ann\"", false)]
    [InlineData("externalId eq \"E1\"", false)]
    [InlineData("displayName eq \"Ann\"", false)]
    [InlineData("emails.value eq \"ann@acme.example\"", true)]
    [InlineData("emails[type eq \"work\"].value eq \"ann@acme.example\"", true)]
    [InlineData("emails[type eq \"work\" and value eq \"ann@acme.example\"]", true)]
    [InlineData("emails[type eq \"work\"]", false)]
    [InlineData("emails[value co \"ann\"]", false)]
    [InlineData("emails[type eq \"work\" or value eq \"ann@acme.example\"]", false)]
    [InlineData("emails.type eq \"work\"", false)]
    [InlineData("phoneNumbers.value eq \"1\"", false)]
    [InlineData("userName eq \"a\" or userName eq \"b\"", false)]
    [InlineData("not (userName eq \"a\")", false)]
    public void Only_a_lookup_by_a_key_is_planned_once(string filterText, bool onePlan)
    {
        var filter = ScimFilterParser.Parse(filterText, ScimSchemas.UserResourceType);
        var condition = new MemberFilterTranslator(SqliteDialect.Instance).Translate(filter);

        Assert.Equal(onePlan, condition.OnePlan);
    }
}
