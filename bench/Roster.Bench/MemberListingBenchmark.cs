using System.Diagnostics;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Storage;
using Roster.Testing;

/// <summary>
/// The console's member list (MemberListing) over an enterprise of 100,000 members: the first page, every
/// page by cursor (does the last cost what the first does?), searches, and each filter. The store
/// query is what is timed, without HTTP: the page around it renders 50 rows whatever the directory's size.
/// </summary>
static class MemberListingBenchmark
{
    const int Repetitions = 20;

    public static async Task<int> RunAsync(int members, string db)
    {
        var kinds = db == "both" ? new[] { TestDatabase.Sqlite, TestDatabase.Postgres } : [db];
        Console.WriteLine($"Roster console member list: {members:N0} members, {MemberListing.PageSize} a page; {Environment.ProcessorCount} cores");
        foreach (var kind in kinds) await RunAsync(kind, members);
        return 0;
    }

    static async Task RunAsync(string kind, int members)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var options = kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);
        var directory = await RosterDirectory.OpenAsync(options);
        var enterprise = await directory.Enterprises.CreateAsync("Listed");
        var load = Stopwatch.StartNew();
        await ScaleBenchmark.GenerateAsync(directory.Database, enterprise.Id, 1, members);
        var (everyTenth, everyThousandth) = await ShapeAsync(directory, enterprise);
        Console.WriteLine();
        Console.WriteLine($"## {kind} (generated in {load.Elapsed.TotalSeconds:0.0} s)");
        Console.WriteLine();
        Console.WriteLine("| query | matches | mean ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");

        var listing = new MemberListing(directory.Database);
        async Task Measure(string name, MemberListingQuery query)
        {
            var timings = new List<double>();
            MemberListingPage? page = null;
            for (var i = 0; i < Repetitions; i++)
            {
                var watch = Stopwatch.StartNew();
                page = await listing.ReadAsync(enterprise, query, null);
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"| {name} | {(page!.MatchesCapped ? $"{page.Matches:N0}+" : page.Matches.ToString("N0"))} | {timings.Average():0.00} | {timings.Max():0.00} |");
        }

        await Measure("first page, no filter", new());
        await Measure("search `user4242` (11 matches)", new(Search: "user4242"));
        await Measure("search `user1` (11,111 matches)", new(Search: "User1"));
        await Measure("search `nobody` (no match)", new(Search: "nobody"));
        await Measure("status deactivated (1 in 100)", new(Active: false));
        await Measure("source saml-jit (1 in 50)", new(Source: MemberDirectory.SourceSamlJit));
        await Measure("group of 10,000", new(GroupId: everyTenth));
        await Measure("group of 100", new(GroupId: everyThousandth));
        await Measure("role admin (the group of 100 mapped)", new(Role: "admin"));

        // How a search's candidates are found: from the key columns' indexes, on either database.
        var postgres = directory.Database.Dialect is PostgresDialect;
        var explain = postgres ? "EXPLAIN (COSTS OFF) " : "EXPLAIN QUERY PLAN ";
        var prefix = postgres ? "s.user_name_key LIKE @pattern" : "s.user_name_key >= @lo AND s.user_name_key < @hi";
        var plan = await directory.Database.ReadAsync(c => c.Command(
                $"{explain}SELECT s.id FROM members s WHERE s.enterprise_id = @e AND s.deleted_at IS NULL AND {prefix}")
            .With("@e", enterprise.Id).With("@pattern", "user4242%").With("@lo", "user4242").With("@hi", "user4242\U0010FFFF")
            .ListAsync(r => r.GetString(r.FieldCount - 1)));
        Console.WriteLine();
        Console.WriteLine("search candidates (userName): " + string.Join(" / ", plan.Select(l => l.Trim())));
        Console.WriteLine();

        // Every page by cursor: the directory's end is as near as its start.
        var timingsByPage = new List<double>();
        string? cursor = null;
        var seen = 0;
        string? deepCursor = null;
        do
        {
            if (timingsByPage.Count == members / MemberListing.PageSize * 9 / 10) deepCursor = cursor;
            var watch = Stopwatch.StartNew();
            var page = await listing.ReadAsync(enterprise, new(), cursor);
            timingsByPage.Add(watch.Elapsed.TotalMilliseconds);
            seen += page.Members.Count;
            cursor = page.NextCursor;
        } while (cursor is not null);
        if (seen != members) throw new InvalidOperationException($"Paged through {seen} members of {members}.");
        var deep = new List<double>();
        for (var i = 0; i < Repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            await listing.ReadAsync(enterprise, new(), deepCursor);
            deep.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"| a page 90% of the way in, by its cursor | {members:N0} | {deep.Average():0.00} | {deep.Max():0.00} |");
        Console.WriteLine($"| every page by cursor ({timingsByPage.Count:N0} pages) | {seen:N0} | first 20: {timingsByPage.Take(20).Average():0.00}, last 20: {timingsByPage.TakeLast(20).Average():0.00} | {timingsByPage.Max():0.00} |");
    }

    /// <summary>1 in 100 deactivated, 1 in 50 from SAML just-in-time, a group of every tenth member and
    /// one of every thousandth, mapped to admin.</summary>
    static async Task<(string EveryTenth, string EveryThousandth)> ShapeAsync(RosterDirectory directory, Enterprise enterprise)
    {
        var everyTenth = Identifiers.NewId();
        var everyThousandth = Identifiers.NewId();
        await directory.Database.InTransactionAsync(async (connection, transaction) =>
        {
            const string g = "(created_at - 1700000000000)";
            await connection.Command($"UPDATE members SET active = FALSE, deactivated_at = last_modified WHERE enterprise_id = @e AND {g} % 100 = 0", transaction)
                .With("@e", enterprise.Id).ExecuteAsync();
            await connection.Command($"UPDATE members SET source = 'saml-jit' WHERE enterprise_id = @e AND {g} % 50 = 7", transaction)
                .With("@e", enterprise.Id).ExecuteAsync();
            foreach (var (id, name, every) in new[] { (everyTenth, "Every tenth", 10), (everyThousandth, "Every thousandth", 1000) })
            {
                await connection.Command(
                        "INSERT INTO groups (id, enterprise_id, display_name, display_name_key, resource, version, created_at, last_modified) " +
                        "VALUES (@id, @e, @name, @key, @resource, 1, 1700000000000, 1700000000000)", transaction)
                    .With("@id", id).With("@e", enterprise.Id).With("@name", name).With("@key", name.ToLowerInvariant())
                    .With(directory.Database.Dialect.JsonParameter("@resource", new JsonObject { ["displayName"] = name }.ToJsonString())).ExecuteAsync();
                await connection.Command(
                        "INSERT INTO group_members (group_id, member_id, enterprise_id, added_at) " +
                        $"SELECT @id, id, enterprise_id, 1700000000000 FROM members WHERE enterprise_id = @e AND {g} % @every = 0", transaction)
                    .With("@id", id).With("@e", enterprise.Id).With("@every", every).ExecuteAsync();
            }
            var analyze = connection.Command("ANALYZE", transaction);
            analyze.CommandTimeout = 0;
            await analyze.ExecuteAsync();
        });
        await directory.Roles.MapAsync(enterprise, everyThousandth, "admin");
        return (everyTenth, everyThousandth);
    }
}
