using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
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
    static readonly (string UserName, string? ExternalId, bool Active)[] People =
    [
        ("ann@acme.example", "E1", true),
        ("bob@acme.example", "e2", false),
        ("Carol@Globex.example", null, true),
        ("dave@acme.example", "E4", true),
        ("eve_100%@acme.example", "E5", false),
    ];

    public static TheoryData<string, string, int> Filters(string kind) => new()
    {
        { kind, "userName eq \"ANN@acme.example\"", 1 },
        { kind, "userName ne \"ann@acme.example\"", 4 },
        { kind, "userName co \"ACME\"", 4 },
        { kind, "userName co \"100%\"", 1 },
        { kind, "userName co \"_\"", 1 },
        { kind, "userName co \"\"", 5 },
        { kind, "userName sw \"c\"", 1 },
        { kind, "userName ew \".EXAMPLE\"", 5 },
        { kind, "userName ew \"globex.example\"", 1 },
        { kind, "userName gt \"c\"", 3 },
        { kind, "userName le \"bob@acme.example\"", 2 },
        { kind, "externalId eq \"E1\"", 1 },
        { kind, "externalId eq \"e1\"", 0 },
        { kind, "externalId ne \"E1\"", 3 },
        { kind, "externalId pr", 4 },
        { kind, "not (externalId pr)", 1 },
        { kind, "externalId eq null", 1 },
        { kind, "externalId sw \"E\"", 3 },
        { kind, "active eq false", 2 },
        { kind, "active ne true", 2 },
        { kind, "(userName sw \"a\" or userName sw \"c\") and active eq true", 2 },
        { kind, "not (userName eq \"ann@acme.example\" or active eq false)", 2 },
        { kind, "meta.created ge \"2000-01-01T00:00:00Z\"", 5 },
        { kind, "meta.lastModified lt \"2000-01-01T00:00:00Z\"", 0 },
        { kind, "id pr and userName pr", 5 },
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
        foreach (var (userName, externalId, active) in People)
        {
            all.Add(await CreateAsync(directory, enterprise, userName, externalId, active));
            await CreateAsync(directory, other, userName, externalId, active); // never seen through Acme
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
    [InlineData("emails[type eq \"work\"].value eq \"a@b.c\"")]
    [InlineData("name.givenName eq \"Ann\"")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"1\"")]
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

    static async Task<Member> CreateAsync(RosterDirectory directory, Enterprise enterprise, string userName, string? externalId, bool active)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["active"] = active,
        };
        if (externalId is not null) body["externalId"] = externalId;
        var resource = ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType);
        var attempt = new ProvisioningAttempt
        {
            EnterpriseId = enterprise.Id, Method = "POST", Path = "/test", Operation = "create", StartedAt = DateTimeOffset.UtcNow,
        };
        return await directory.Members.CreateAsync(enterprise, resource, attempt);
    }

    static JsonObject Render(Member member) => ResourceWriter.Render(ScimSchemas.UserResourceType, member.Id, member.Resource,
        new ResourceMeta(member.Created, member.LastModified, member.Version, "https://roster.test/Users/" + member.Id));
}
