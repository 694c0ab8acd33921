using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.Storage;
using Roster.Hosting;
using Roster.Testing;

/// <summary>
/// SCIM provisioning throughput of an enterprise with no webhook endpoint, and of one whose endpoint
/// takes <c>--delay</c> ms to answer each delivery (a slow product), on the same server, alternating
/// runs so that drift falls on both: the webhook work (outbox rows, the dispatcher in the background)
/// must not slow SCIM beyond noise.
///
///   dotnet run -c Release --project bench/Roster.Bench -- --scenario webhooks [--members 2000] [--concurrency 8] [--delay 2000] [--rounds 3] [--db ...]
/// </summary>
static class WebhookBenchmark
{
    public static async Task<int> RunAsync(int members, int concurrency, int delayMs, int rounds, string db)
    {
        var kinds = db == "both" ? new[] { TestDatabase.Sqlite, TestDatabase.Postgres } : [db];
        Console.WriteLine($"Webhook benchmark: POST /Users, {members} members a run, {concurrency} clients, endpoint answering after {delayMs} ms, " +
                          $"{rounds} rounds, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| database | run | requests | req/s | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        await using var receiver = await SlowReceiver.StartAsync(delayMs);
        foreach (var kind in kinds)
        {
            await using var database = await TestDatabase.CreateAsync(kind);
            var options = kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);
            var directory = await RosterDirectory.OpenAsync(options);
            await using var server = await RosterServer.StartAsync(directory, "http://127.0.0.1:0", quiet: true);
            var plain = await ClientAsync(directory, server, "Plain", concurrency);
            var hooked = await ClientAsync(directory, server, "Hooked", concurrency);
            await directory.Webhooks.AddAsync(hooked.Enterprise, receiver.Url, [], "slow product", AuditActor.CommandLine("bench", "bench"));

            // Warm-up of both enterprises (JIT, connection pools), not printed.
            await ProvisionAsync(null, "", plain.Http, "warm", 200, concurrency);
            await ProvisionAsync(null, "", hooked.Http, "warm", 200, concurrency);
            for (var round = 1; round <= rounds; round++)
            {
                await ProvisionAsync(kind, $"no webhook, round {round}", plain.Http, $"r{round}", members, concurrency);
                await ProvisionAsync(kind, $"slow webhook endpoint, round {round}", hooked.Http, $"r{round}", members, concurrency);
            }
            var deliveries = await directory.WebhookQueue.ListAsync(hooked.Enterprise, limit: 500);
            Console.WriteLine($"| {kind} | deliveries to the slow endpoint by the end (of the newest 500) | {deliveries.Count(d => d.State == "delivered")} delivered, " +
                              $"{deliveries.Count(d => d.State == "pending")} pending | | | | |");
            plain.Http.Dispose();
            hooked.Http.Dispose();
        }
        return 0;
    }

    static async Task<(Roster.Directory.Enterprises.Enterprise Enterprise, HttpClient Http)> ClientAsync(RosterDirectory directory, RosterServer server,
        string name, int concurrency)
    {
        var enterprise = await directory.Enterprises.CreateAsync(name);
        await directory.Enterprises.SetScimEnabledAsync(enterprise, true);
        var token = await directory.Tokens.CreateAsync(enterprise, "bench", null);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
        {
            BaseAddress = new Uri(new Uri(server.Addresses[0]), enterprise.ScimPath + "/"),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        return (enterprise, http);
    }

    static Task ProvisionAsync(string? kind, string step, HttpClient http, string prefix, int count, int concurrency) =>
        ConcurrentLoad.MeasureAsync(kind, step, count, concurrency, async i =>
        {
            var body = $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{prefix}}-user{{i}}@bench.example","name":{"givenName":"User","familyName":"N{{i}}"},"emails":[{"primary":true,"type":"work","value":"{{prefix}}-user{{i}}@bench.example"}],"active":true}""";
            using var response = await http.PostAsync("Users", new StringContent(body, Encoding.UTF8, "application/scim+json"));
            if ((int)response.StatusCode != 201) throw new InvalidOperationException($"POST /Users answered {(int)response.StatusCode}");
        });

    /// <summary>A product that takes its time: answers every delivery 200 after a delay.</summary>
    sealed class SlowReceiver(WebApplication app) : IAsyncDisposable
    {
        public string Url { get; private set; } = "";

        public static async Task<SlowReceiver> StartAsync(int delayMs)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/hooks", async (HttpContext context) =>
            {
                await Task.Delay(delayMs);
                context.Response.StatusCode = 200;
            });
            await app.StartAsync();
            return new SlowReceiver(app)
            {
                Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks",
            };
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
