using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Storage;
using Roster.Operations;
using Roster.Testing;

namespace Roster.Tests.Operations;

/// <summary>/readyz: ready on a migrated database; 503 with Retry-After and the reason when a
/// migration is missing or the database does not answer, bounded by the probe's timeout; /healthz
/// (liveness) stays 200 meanwhile.</summary>
public sealed class ReadinessTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Readyz_is_200_on_a_migrated_database(string kind)
    {
        await using var server = await OperationsTestServer.StartAsync(kind, OperationsOptions.Default);
        using var response = await server.Plain().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ready", body["status"]!.GetValue<string>());
        Assert.Equal(Migrator.For(server.Directory.Database.Dialect).Max(m => m.Version), body["schemaVersion"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Readyz_is_503_naming_the_migration_the_database_lacks(string kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var directory = new RosterDirectory(RosterTestHost.StoreOf(database));
        var latest = Migrator.For(directory.Database.Dialect).Max(m => m.Version);
        await directory.Database.MigrateThroughAsync(latest - 1);
        await using var server = await OperationsTestServer.StartAsync(database, directory, OperationsOptions.Default);

        var (status, body, retryAfter) = await ProbeAsync(server);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not ready", body["status"]!.GetValue<string>());
        Assert.Equal("migrations pending: " + latest.ToString("D4", CultureInfo.InvariantCulture), body["reason"]!.GetValue<string>());
        Assert.True(retryAfter >= 1);
        Assert.Equal(HttpStatusCode.OK, (await server.Plain().GetAsync("/healthz")).StatusCode);

        // Migrated (by another instance, say): ready at the next probe.
        await directory.Database.MigrateAsync();
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(server)).Status);
    }

    [Fact]
    public async Task Readyz_is_503_when_PostgreSQL_refuses_connections_without_showing_the_password()
    {
        const string password = "s3cret-Readyz-pw";
        var port = FreePort.Next(); // nobody listens there
        var directory = new RosterDirectory(DatabaseOptions.Postgres(
            $"Host=127.0.0.1;Port={port};Username=roster;Password={password};Database=roster;Timeout=5"));
        await using var server = await OperationsTestServer.StartAsync(null, directory, OperationsOptions.Default);

        var (status, body, retryAfter) = await ProbeAsync(server);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var reason = body["reason"]!.GetValue<string>();
        Assert.StartsWith("database unreachable: ", reason);
        Assert.Contains($"127.0.0.1:{port}", reason);
        Assert.DoesNotContain(password, reason);
        Assert.DoesNotContain("Password", reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(retryAfter >= 1);
        Assert.Equal(HttpStatusCode.OK, (await server.Plain().GetAsync("/healthz")).StatusCode);
    }

    /// <summary>A "database" that accepts the connection and never says a word (a hung server, a
    /// black-holing firewall): the driver would wait for its own 30 s; the probe answers 503 at its timeout.</summary>
    [Fact]
    public async Task Readyz_answers_503_at_its_timeout_when_the_database_accepts_but_never_answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await silent.AcceptSocketAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var directory = new RosterDirectory(DatabaseOptions.Postgres(
            $"Host=127.0.0.1;Port={port};Username=roster;Password=pw;Database=roster;Timeout=30;Pooling=false"));
        try
        {
            await using var server = await OperationsTestServer.StartAsync(null, directory,
                OperationsOptions.Default with { ReadinessTimeout = TimeSpan.FromSeconds(1) });

            var (status, body, _) = await ProbeAsync(server);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("database unreachable: no answer within 1 s", body["reason"]!.GetValue<string>());
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            foreach (var socket in accepted) socket.Dispose();
        }
    }

    static async Task<(HttpStatusCode Status, JsonNode Body, int RetryAfter)> ProbeAsync(OperationsTestServer server)
    {
        using var response = await server.Plain().GetAsync("/readyz");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0;
        return (response.StatusCode, body, retryAfter);
    }
}
