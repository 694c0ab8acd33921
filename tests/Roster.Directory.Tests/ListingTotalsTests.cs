using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>A page by startIndex says how many members match in all, whether it was counted or read off
/// a last page that is not full: every window over the list, filtered or not, against the truth.</summary>
public sealed class ListingTotalsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_page_by_startIndex_has_the_exact_total_and_the_right_members(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var ids = new List<string>();
        for (var i = 0; i < 7; i++) ids.Add(await CreateAsync(directory, acme, $"user{i}@acme.example"));
        await CreateAsync(directory, globex, "user0@globex.example");
        var odd = new SqlCondition("user_name_key IN (@a, @b, @c)",
            [new("@a", "user1@acme.example"), new("@b", "user3@acme.example"), new("@c", "user5@acme.example")]);
        var nobody = new SqlCondition("user_name_key = @a", [new("@a", "nobody@acme.example")]);

        foreach (var (condition, matching) in new (SqlCondition?, List<string>)[] { (null, ids), (odd, [ids[1], ids[3], ids[5]]), (nobody, []) })
        {
            foreach (var startIndex in new[] { 1, 2, 3, 6, 7, 8, 9, 50 })
            {
                foreach (var count in new[] { 0, 1, 2, 3, 7, 10 })
                {
                    var (total, page) = await directory.Members.ListAsync(acme, condition, startIndex, count);
                    var expected = matching.Skip(startIndex - 1).Take(count).ToList();
                    Assert.True(matching.Count == total, $"{condition?.Sql ?? "all"}, startIndex {startIndex}, count {count}: total {total}, not {matching.Count}");
                    Assert.Equal(expected, page.Select(m => m.Id).ToList());
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_page_by_cursor_has_the_exact_total_and_the_pages_hold_every_member_once(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await CreateAsync(directory, acme, $"user{i}@acme.example"));
        var two = new SqlCondition("user_name_key IN (@a, @b)", [new("@a", "user1@acme.example"), new("@b", "user3@acme.example")]);

        foreach (var (condition, filter, matching) in new (SqlCondition?, string?, List<string>)[] { (null, null, ids), (two, "two", [ids[1], ids[3]]) })
        {
            foreach (var count in new[] { 0, 1, 2, 4, 5, 9 })
            {
                var seen = new List<string>();
                string? cursor = null;
                do
                {
                    var page = await directory.Members.ListByCursorAsync(acme, condition, filter, count, cursor);
                    Assert.True(matching.Count == page.Total, $"{filter ?? "all"}, count {count}: total {page.Total}, not {matching.Count}");
                    seen.AddRange(page.Page.Select(m => m.Id));
                    cursor = page.NextCursor;
                } while (cursor is not null);
                Assert.Equal(count == 0 ? [] : matching, seen);
            }
        }
    }

    static async Task<string> CreateAsync(RosterDirectory directory, Enterprise enterprise, string userName)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.UserUrn), ["userName"] = userName };
        var member = await directory.Members.CreateAsync(enterprise, ScimSchemas.UserResourceType,
            ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType),
            new ProvisioningAttempt { EnterpriseId = enterprise.Id, Method = "POST", Path = "/Users", Operation = "create", StartedAt = DateTimeOffset.UtcNow });
        return member.Id;
    }
}
