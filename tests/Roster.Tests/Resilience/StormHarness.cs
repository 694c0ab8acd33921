using System.Diagnostics;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>What the storm tests share: an enterprise with SCIM on and a token, set up in the store
/// directly; SCIM clients of a given address; the storm's groups; bounded waits.</summary>
public sealed class StormHarness
{
    /// <summary>No server-wide rate limit: the storm is about crashes, not about 429s.</summary>
    public static readonly string[] Unlimited = ["--rate-limit-token", "0", "--rate-limit-enterprise", "0"];

    StormHarness(RosterDirectory directory, Enterprise enterprise, string token)
    {
        Directory = directory;
        Enterprise = enterprise;
        Token = token;
    }

    public RosterDirectory Directory { get; }
    public Enterprise Enterprise { get; }
    public string Token { get; }

    public static async Task<StormHarness> CreateAsync(RosterDirectory directory)
    {
        var enterprise = await directory.Enterprises.CreateAsync("Storm");
        await directory.Enterprises.SetScimEnabledAsync(enterprise, true);
        var token = await directory.Tokens.CreateAsync(enterprise, "Okta", null);
        return new StormHarness(directory, enterprise, token.Secret);
    }

    /// <summary>A SCIM client of the enterprise at <paramref name="address"/>; a request unanswered
    /// after 30 s fails as hung.</summary>
    public HttpClient Scim(Uri address)
    {
        var http = new HttpClient { BaseAddress = new Uri(address, Enterprise.ScimPath + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {Token}");
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Okta SCIM Client 1.0.0");
        return http;
    }

    /// <summary>Creates each client's group through SCIM (so that the log and the outbox have it as an IdP's change).</summary>
    public async Task CreateGroupsAsync(HttpClient scim, IEnumerable<StormClient> clients)
    {
        foreach (var client in clients)
        {
            using var response = await scim.PostAsync("Groups", new StringContent(
                $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{client.GroupName}}"}""",
                System.Text.Encoding.UTF8, "application/scim+json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"creating {client.GroupName}: {(int)response.StatusCode} {body}");
            client.GroupId = System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, failing as hung after <paramref name="bound"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan bound, Func<string> what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > bound) throw new Xunit.Sdk.XunitException($"Waited {bound.TotalSeconds} s in vain: {what()}");
            await Task.Delay(20);
        }
    }

    /// <summary>PostgreSQL: waits until no other session of the database is in a transaction or a
    /// statement, so that what a killed process had sent is committed or rolled back before the store
    /// is read. SQLite: nothing to wait for (a dead process holds no lock).</summary>
    public async Task WaitForQuietDatabaseAsync()
    {
        if (Directory.Database.Dialect is not Roster.Directory.Storage.PostgresDialect) return;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var busy = await Directory.Database.ReadAsync(c => Roster.Directory.Storage.SqlCommands.ScalarLongAsync(Roster.Directory.Storage.SqlCommands.Command(c,
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'")));
            if (busy == 0) return;
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new Xunit.Sdk.XunitException("PostgreSQL sessions of the killed process did not end within 30 s");
            await Task.Delay(20);
        }
    }
}
