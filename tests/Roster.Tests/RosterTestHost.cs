using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;
using Roster.Directory;
using Roster.Hosting;
using Roster.Testing;
using Roster.Webhooks;

namespace Roster.Tests;

/// <summary>A real Roster server on Kestrel (loopback, a free port) over a real database of the
/// given kind, and HTTP clients that talk to it as an IdP would.</summary>
public sealed class RosterTestHost : IAsyncDisposable
{
    readonly TestDatabase database;
    readonly RosterServer server;
    readonly List<HttpClient> clients = [];

    RosterTestHost(TestDatabase database, DatabaseOptions options, RosterDirectory directory, RosterServer server)
    {
        this.database = database;
        Options = options;
        Directory = directory;
        this.server = server;
        BaseAddress = new Uri(server.Addresses[0]);
    }

    public DatabaseOptions Options { get; }
    public RosterDirectory Directory { get; }
    public Uri BaseAddress { get; }
    public string Kind => database.Kind;

    /// <param name="publicUrl">The public URL the server is started with (`serve --public-url`), if any.</param>
    /// <param name="clock">The server's clock: a <see cref="ManualClock"/> for a test that moves time
    /// (a grace period running out); the system's otherwise.</param>
    /// <param name="webhooks">The webhook dispatcher's settings: <see cref="FastWebhooks"/> for a test that waits for deliveries.</param>
    public static async Task<RosterTestHost> StartAsync(string kind, string? publicUrl = null, TimeProvider? clock = null,
        WebhookDispatcherOptions? webhooks = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var options = StoreOf(database);
        var directory = await RosterDirectory.OpenAsync(options, clock);
        var server = await RosterServer.StartAsync(directory, "http://127.0.0.1:0", quiet: true, publicUrl: publicUrl, webhooks: webhooks);
        return new RosterTestHost(database, options, directory, server);
    }

    /// <summary>A dispatcher that looks for work every 50 ms, so that tests wait little.</summary>
    public static WebhookDispatcherOptions FastWebhooks { get; } = WebhookDispatcherOptions.Default with { PollInterval = TimeSpan.FromMilliseconds(50) };

    /// <summary>Another Roster instance on this host's database (as behind a load balancer), with its
    /// own directory; the caller disposes it.</summary>
    public async Task<RosterServer> StartAnotherInstanceAsync(TimeProvider? clock = null, WebhookDispatcherOptions? webhooks = null) =>
        await RosterServer.StartAsync(await RosterDirectory.OpenAsync(Options, clock), "http://127.0.0.1:0", quiet: true, webhooks: webhooks);

    /// <summary>Stops this host's server, keeping its database: for a test of what survives a restart.</summary>
    public ValueTask StopServerAsync() => server.DisposeAsync();

    public static DatabaseOptions StoreOf(TestDatabase database) =>
        database.Kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);

    /// <summary>The CLI arguments that name this host's store.</summary>
    public string[] StoreArguments => Kind == TestDatabase.Sqlite
        ? ["--data", database.DataDirectory!]
        : ["--database", database.ConnectionString!];

    /// <summary>A new enterprise with SCIM provisioning on and a SCIM token, and a client that sends
    /// that token. SCIM is switched on in the store directly: these tests are about SCIM, not about
    /// the SAML sign-in that turning it on waits for (ScimActivationTests are).</summary>
    public async Task<ScimClient> CreateEnterpriseAsync(string name)
    {
        var enterprise = await Directory.Enterprises.CreateAsync(name);
        await Directory.Enterprises.SetScimEnabledAsync(enterprise, true);
        var token = await Directory.Tokens.CreateAsync(enterprise, "Okta", null);
        return new ScimClient(Client(enterprise, $"Bearer {token.Secret}"), enterprise, token.Secret);
    }

    public HttpClient Client(Enterprise enterprise, string? authorization)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseAddress, enterprise.ScimPath + "/") };
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Okta-SCIM-Client/1.0.0");
        clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients) client.Dispose();
        await server.DisposeAsync();
        await database.DisposeAsync();
    }
}

/// <summary>An enterprise's SCIM endpoint as seen by its IdP.</summary>
public sealed class ScimClient(HttpClient http, Enterprise enterprise, string token)
{
    public HttpClient Http { get; } = http;
    public Enterprise Enterprise { get; } = enterprise;
    public string Token { get; } = token;

    public const string ScimJson = "application/scim+json";

    public Task<ScimResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);
    public Task<ScimResponse> PostAsync(string path, string body, string contentType = ScimJson) => SendAsync(HttpMethod.Post, path, body, contentType);
    public Task<ScimResponse> PutAsync(string path, string body) => SendAsync(HttpMethod.Put, path, body);
    public Task<ScimResponse> PatchAsync(string path, string body) => SendAsync(HttpMethod.Patch, path, body);
    public Task<ScimResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<ScimResponse> SendAsync(HttpMethod method, string path, string? body, string contentType = ScimJson)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType + "; charset=utf-8");
        }
        request.Headers.Accept.ParseAdd(ScimJson);
        using var response = await Http.SendAsync(request);
        return await ScimResponse.ReadAsync(response);
    }
}

/// <summary>A response, read whole.</summary>
public sealed record ScimResponse(int Status, string? ContentType, string Body, HttpResponseHeaders Headers)
{
    public static async Task<ScimResponse> ReadAsync(HttpResponseMessage response) => new(
        (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response.Headers);

    public JsonObject Json => JsonNode.Parse(Body) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {Body}");

    /// <summary>Asserts an RFC 7644 §3.12 error: the status, the Error schema, status as a string,
    /// a detail, the scimType where one is expected, and the SCIM content type.</summary>
    public JsonObject AssertError(int status, string? scimType = null)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}: {Body}");
        Assert.Equal(ScimClient.ScimJson, ContentType);
        var json = Json;
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", json["schemas"]![0]!.GetValue<string>());
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), json["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(json["detail"]?.GetValue<string>()));
        if (scimType is not null) Assert.Equal(scimType, json["scimType"]?.GetValue<string>());
        return json;
    }

    public JsonObject AssertOk(int status = 200)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}: {Body}");
        Assert.Equal(ScimClient.ScimJson, ContentType);
        return Json;
    }
}
