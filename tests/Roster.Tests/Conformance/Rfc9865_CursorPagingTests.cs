using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>RFC 9865: cursor paging beside index paging.</summary>
public sealed class Rfc9865_CursorPagingTests
{
    static string User(int i, bool active = true) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user{{i}}@acme.example","active":{{(active ? "true" : "false")}}}""";

    static string[] Names(JsonObject page) => page["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>()).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_2_and_3_pages_forward_and_back_by_cursor(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        for (var i = 0; i < 7; i++) (await client.PostAsync("Users", User(i, active: i != 3))).AssertOk(201);
        var all = Enumerable.Range(0, 7).Select(i => $"user{i}@acme.example").ToArray();

        var first = (await client.GetAsync("Users?cursor&count=3")).AssertOk();
        Assert.Equal(all[..3], Names(first));
        Assert.Equal(7, first["totalResults"]!.GetValue<int>());
        Assert.Equal(3, first["itemsPerPage"]!.GetValue<int>());
        Assert.Null(first["startIndex"]);
        Assert.Null(first["previousCursor"]);
        var second = (await client.GetAsync($"Users?count=3&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(all[3..6], Names(second));
        Assert.NotNull(second["previousCursor"]);

        // A member created meanwhile is found at the end, and nothing is seen twice.
        (await client.PostAsync("Users", User(7))).AssertOk(201);
        var third = (await client.GetAsync($"Users?count=3&cursor={Uri.EscapeDataString(second["nextCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(["user6@acme.example", "user7@acme.example"], Names(third));
        Assert.Null(third["nextCursor"]);

        var back = (await client.GetAsync($"Users?count=3&cursor={Uri.EscapeDataString(third["previousCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(all[3..6], Names(back));
        var start = (await client.GetAsync($"Users?count=3&cursor={Uri.EscapeDataString(back["previousCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(all[..3], Names(start));
        Assert.Null(start["previousCursor"]);
        Assert.NotNull(start["nextCursor"]);

        // With a filter, through .search too.
        var active = (await client.PostAsync("Users/.search", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"active eq true","cursor":"","count":4}
            """)).AssertOk();
        Assert.Equal(["user0@acme.example", "user1@acme.example", "user2@acme.example", "user4@acme.example"], Names(active));
        var activeNext = active["nextCursor"]!.GetValue<string>();
        var rest = (await client.GetAsync($"Users?filter=active%20eq%20true&count=4&cursor={Uri.EscapeDataString(activeNext)}")).AssertOk();
        Assert.Equal(["user5@acme.example", "user6@acme.example", "user7@acme.example"], Names(rest));

        // A cursor is a position in one query's result, not in another's.
        (await client.GetAsync($"Users?count=4&cursor={Uri.EscapeDataString(activeNext)}")).AssertError(400, "invalidCursor");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_bad_cursors_and_mixed_paging_are_refused(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        (await client.PostAsync("Users", User(1))).AssertOk(201);
        (await client.GetAsync("Users?cursor=not-a-cursor")).AssertError(400, "invalidCursor");
        (await client.GetAsync("Users?cursor=eyJjIjoxfQ")).AssertError(400, "invalidCursor");
        (await client.GetAsync("Users?cursor=&startIndex=1")).AssertError(400, "invalidValue");
        var countOnly = (await client.GetAsync("Users?cursor=&count=0")).AssertOk();
        Assert.Equal(1, countOnly["totalResults"]!.GetValue<int>());
        Assert.Empty(countOnly["Resources"]!.AsArray());
        var config = (await client.GetAsync("ServiceProviderConfig")).AssertOk();
        Assert.True(config["pagination"]!["cursor"]!.GetValue<bool>());
        Assert.True(config["pagination"]!["index"]!.GetValue<bool>());
        Assert.Equal(1000, config["pagination"]!["maxPageSize"]!.GetValue<int>());
    }

    /// <summary>RFC 9865 §2.3: cursor-paged results are sorted when sortBy is given; absent values come
    /// last in both directions, and paging back retraces the same pages.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_2_3_cursor_pages_follow_sortBy_forward_and_back(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        // Titles: some equal, some absent, created out of order.
        string?[] titles = ["b", null, "a", "c", "b", null, "a"];
        for (var i = 0; i < titles.Length; i++)
        {
            var title = titles[i] is { } t ? $",\"title\":\"{t}\"" : "";
            (await client.PostAsync("Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user{{i}}@acme.example"{{title}}}""")).AssertOk(201);
        }

        async Task<(string[] All, string[] Back)> PageAsync(string order)
        {
            var seen = new List<string>();
            var pages = new List<string[]>();
            var cursors = new List<string?>();
            string? cursor = "";
            while (cursor is not null)
            {
                var page = (await client.GetAsync($"Users?sortBy=title&sortOrder={order}&count=3&cursor={Uri.EscapeDataString(cursor)}")).AssertOk();
                pages.Add(Names(page));
                seen.AddRange(Names(page));
                cursors.Add(page["previousCursor"]?.GetValue<string>());
                cursor = page["nextCursor"]?.GetValue<string>();
            }
            // From the last page, walk back with previousCursor: the same pages in reverse.
            var back = new List<string>();
            var previous = cursors[^1];
            while (previous is not null)
            {
                var page = (await client.GetAsync($"Users?sortBy=title&sortOrder={order}&count=3&cursor={Uri.EscapeDataString(previous)}")).AssertOk();
                back.InsertRange(0, Names(page));
                previous = page["previousCursor"]?.GetValue<string>();
            }
            back.AddRange(pages[^1]);
            return (seen.ToArray(), back.ToArray());
        }

        var byIndex = Names((await client.GetAsync("Users?sortBy=title&count=100")).AssertOk());
        var ascending = await PageAsync("ascending");
        Assert.Equal(byIndex, ascending.All);
        Assert.Equal(ascending.All, ascending.Back);
        Assert.Equal(["user2", "user6", "user0", "user4", "user3", "user1", "user5"], ascending.All.Select(n => n.Split('@')[0]).ToArray());

        var descending = await PageAsync("descending");
        Assert.Equal(Names((await client.GetAsync("Users?sortBy=title&sortOrder=descending&count=100")).AssertOk()), descending.All);
        Assert.Equal(["user3", "user0", "user4", "user2", "user6", "user1", "user5"], descending.All.Select(n => n.Split('@')[0]).ToArray());
        Assert.Equal(descending.All, descending.Back);

        // A cursor of one order is no position in another.
        var first = (await client.GetAsync("Users?sortBy=title&count=3&cursor")).AssertOk();
        (await client.GetAsync($"Users?count=3&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}")).AssertError(400, "invalidCursor");
    }
}
