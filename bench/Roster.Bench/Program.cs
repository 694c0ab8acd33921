// Provisioning load against a real Roster server (Kestrel on loopback) over SQLite and PostgreSQL:
// what an IdP's initial push, lookups, deprovisioning and an import cost. Client and server share
// this process and the machine's cores, so the figures are a floor for a dedicated server.
//
//   dotnet run -c Release --project bench/Roster.Bench -- [--members N] [--concurrency C] [--db sqlite|postgres|both]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario suite [--members 100000] [--concurrency 8] [--seconds 10] [--warmup 6] [--db ...] [--only TEXT]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario seed [--members 100000] [--data DIR | --database CONNECTION]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario scale [--members 1000000] [--paging 100000] [--db ...]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario saml [--sign-ins 2000] [--concurrency 8] [--db ...]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario groups [--members 100000] [--groups 10000] [--repetitions 50] [--db ...]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario member-listing [--members 100000] [--db ...]
//   dotnet run -c Release --project bench/Roster.Bench -- --scenario webhooks [--members 2000] [--concurrency 8] [--delay 2000] [--rounds 3] [--db ...]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Storage;
using Roster.Hosting;
using Roster.Testing;

if (Option("--scenario") == "suite")
{
    return await SuiteBenchmark.RunAsync(IntOption("--members", 100_000), IntOption("--concurrency", 8),
        double.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture), double.Parse(Option("--warmup") ?? "6", CultureInfo.InvariantCulture),
        Option("--db") ?? "both", Option("--only"));
}
if (Option("--scenario") == "seed")
{
    return await SuiteBenchmark.SeedOnlyAsync(IntOption("--members", 100_000), Option("--data"), Option("--database"));
}
if (Option("--scenario") == "scale")
{
    return await ScaleBenchmark.RunAsync(IntOption("--members", 1_000_000), IntOption("--paging", 100_000), Option("--db") ?? "both");
}
if (Option("--scenario") == "saml")
{
    return await SamlBenchmark.RunAsync(IntOption("--sign-ins", 2000), IntOption("--concurrency", 8), Option("--db") ?? "both");
}
if (Option("--scenario") == "groups")
{
    return await GroupsBenchmark.RunAsync(IntOption("--members", 100_000), IntOption("--groups", 10_000), IntOption("--repetitions", 50), Option("--db") ?? "both");
}
if (Option("--scenario") == "webhooks")
{
    return await WebhookBenchmark.RunAsync(IntOption("--members", 2000), IntOption("--concurrency", 8), IntOption("--delay", 2000), IntOption("--rounds", 3),
        Option("--db") ?? "both");
}
if (Option("--scenario") == "member-listing")
{
    return await MemberListingBenchmark.RunAsync(IntOption("--members", 100_000), Option("--db") ?? "sqlite");
}

var members = IntOption("--members", 5000);
var concurrency = IntOption("--concurrency", 8);
var db = Option("--db") ?? "both";
var kinds = db == "both" ? new[] { TestDatabase.Sqlite, TestDatabase.Postgres } : [db];

Console.WriteLine($"Roster provisioning benchmark: {members} members, {concurrency} concurrent clients, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| database | step | requests | req/s | p50 ms | p95 ms | p99 ms |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var kind in kinds) await RunAsync(kind);
return 0;

async Task RunAsync(string kind)
{
    await using var database = await TestDatabase.CreateAsync(kind);
    var options = kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);
    var directory = await RosterDirectory.OpenAsync(options);
    await using var server = await RosterServer.StartAsync(directory, "http://127.0.0.1:0", quiet: true);
    var enterprise = await directory.Enterprises.CreateAsync("Bench");
    // SCIM provisioning is what is measured: switched on directly, without the SAML it waits for.
    await directory.Enterprises.SetScimEnabledAsync(enterprise, true);
    var token = await directory.Tokens.CreateAsync(enterprise, "bench", null);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
    {
        BaseAddress = new Uri(new Uri(server.Addresses[0]), enterprise.ScimPath + "/"),
    };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);

    var ids = new string[members];
    await MeasureAsync(kind, "POST /Users (provision)", members, async i =>
    {
        var body = $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user{{i}}@bench.example","name":{"givenName":"User","familyName":"N{{i}}"},"emails":[{"primary":true,"type":"work","value":"user{{i}}@bench.example"}],"externalId":"ext{{i}}","active":true}""";
        using var response = await http.PostAsync("Users", new StringContent(body, Encoding.UTF8, "application/scim+json"));
        Expect(response, 201);
        ids[i] = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    });

    // Statistics as autovacuum leaves them within a minute of a bulk load: measure the steady state.
    // (Before that, PostgreSQL plans the first lookups on a table it believes empty.)
    if (kind == TestDatabase.Postgres)
        await directory.Database.InTransactionAsync((c, t) => c.Command("ANALYZE members", t).ExecuteAsync());

    var lookups = Math.Min(members, 2000);
    var random = new Random(42);
    var targets = Enumerable.Range(0, lookups).Select(_ => random.Next(members)).ToArray();
    await MeasureAsync(kind, "GET ?filter=userName eq", lookups, async i =>
    {
        using var response = await http.GetAsync($"Users?filter=userName%20eq%20%22USER{targets[i]}%40bench.example%22&startIndex=1&count=100");
        Expect(response, 200);
    });
    await MeasureAsync(kind, "GET /Users/{id}", lookups, async i =>
    {
        using var response = await http.GetAsync($"Users/{ids[targets[i]]}");
        Expect(response, 200);
    });
    var changes = Math.Min(members, 1000);
    await MeasureAsync(kind, "PUT /Users/{id} (profile push)", changes, async i =>
    {
        var body = $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user{{i}}@bench.example","name":{"givenName":"Changed","familyName":"N{{i}}"},"emails":[{"primary":true,"type":"work","value":"user{{i}}@bench.example"}],"active":true}""";
        using var response = await http.PutAsync($"Users/{ids[i]}", new StringContent(body, Encoding.UTF8, "application/scim+json"));
        Expect(response, 200);
    });
    await MeasureAsync(kind, "PATCH active:false (deprovision)", changes, async i =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Users/{ids[i]}")
        {
            Content = new StringContent("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""",
                Encoding.UTF8, "application/scim+json"),
        };
        using var response = await http.SendAsync(request);
        Expect(response, 200);
    });

    var pages = (members + 99) / 100;
    var watch = Stopwatch.StartNew();
    for (var page = 0; page < pages; page++)
    {
        using var response = await http.GetAsync($"Users?startIndex={page * 100 + 1}&count=100");
        Expect(response, 200);
        await response.Content.ReadAsByteArrayAsync();
    }
    Console.WriteLine($"| {kind} | import, {pages} pages of 100 (sequential) | {pages} | {pages / watch.Elapsed.TotalSeconds:0} | total {watch.Elapsed.TotalMilliseconds:0} ms | | |");
    Console.WriteLine($"| {kind} | process after the run | | | working set {Environment.WorkingSet / 1048576} MiB | GC heap {GC.GetTotalMemory(false) / 1048576} MiB | |");
}

Task MeasureAsync(string kind, string step, int count, Func<int, Task> request) =>
    ConcurrentLoad.MeasureAsync(kind, step, count, concurrency, request);

static void Expect(HttpResponseMessage response, int status)
{
    if ((int)response.StatusCode != status)
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {status}");
}

int IntOption(string name, int fallback) => Option(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
