using Roster.Directory;
using Roster.Hosting;
using Roster.Operations;
using Roster.Testing;

namespace Roster.Tests.Operations;

/// <summary>A real Roster server over a real database of the given kind, started with the
/// <see cref="OperationsOptions"/> a test needs (rate limits small enough to meet, a readiness
/// timeout), or over a database left as the test made it (not migrated, or unreachable).</summary>
public sealed class OperationsTestServer : IAsyncDisposable
{
    readonly TestDatabase? database;
    readonly RosterServer server;
    readonly List<HttpClient> clients = [];

    OperationsTestServer(TestDatabase? database, RosterDirectory directory, RosterServer server)
    {
        this.database = database;
        Directory = directory;
        this.server = server;
        BaseAddress = new Uri(server.Addresses[0]);
    }

    public RosterDirectory Directory { get; }
    public Uri BaseAddress { get; }

    /// <summary>The CLI arguments that name this server's store.</summary>
    public string[] StoreArguments => database!.Kind == TestDatabase.Sqlite
        ? ["--data", database.DataDirectory!]
        : ["--database", database.ConnectionString!];

    /// <summary>A limit of N means N requests an hour, and no burst beyond it: "the N+1st request is
    /// refused" holds however slowly the test runs.</summary>
    public static RateLimitShape PerHour { get; } = new(TimeSpan.FromHours(1), 1);

    public static async Task<OperationsTestServer> StartAsync(string kind, OperationsOptions operations)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(RosterTestHost.StoreOf(database));
        return await StartAsync(database, directory, operations);
    }

    /// <summary>A server over <paramref name="directory"/> as it is: <paramref name="database"/> (if
    /// any) is disposed with the server.</summary>
    public static async Task<OperationsTestServer> StartAsync(TestDatabase? database, RosterDirectory directory, OperationsOptions operations)
    {
        var server = await RosterServer.StartAsync(directory, "http://127.0.0.1:0", quiet: true, operations: operations);
        return new OperationsTestServer(database, directory, server);
    }

    /// <summary>A new enterprise with SCIM on and one token, and a client that sends it as Okta does.</summary>
    public async Task<ScimClient> CreateEnterpriseAsync(string name)
    {
        var enterprise = await Directory.Enterprises.CreateAsync(name);
        await Directory.Enterprises.SetScimEnabledAsync(enterprise, true);
        return await TokenClientAsync(enterprise);
    }

    /// <summary>A client with a new token of <paramref name="enterprise"/>.</summary>
    public async Task<ScimClient> TokenClientAsync(Directory.Enterprises.Enterprise enterprise, string userAgent = "Okta SCIM Client 1.0.0")
    {
        var token = await Directory.Tokens.CreateAsync(enterprise, "Okta", null);
        var http = new HttpClient { BaseAddress = new Uri(BaseAddress, enterprise.ScimPath + "/") };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token.Secret}");
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        clients.Add(http);
        return new ScimClient(http, enterprise, token.Secret);
    }

    /// <summary>A plain client of the server's own endpoints (/readyz, /metrics), with a timeout that
    /// fails the test rather than letting it hang.</summary>
    public HttpClient Plain()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        clients.Add(http);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients) client.Dispose();
        await server.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }
}
