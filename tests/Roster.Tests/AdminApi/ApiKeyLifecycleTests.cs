using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Tests.AdminApi;

/// <summary>An admin API key from `roster apikey create` to revocation: it works as a bearer key, is
/// listed without the key, stops working when revoked or expired, and the database never holds it.</summary>
public sealed class ApiKeyLifecycleTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_key_created_by_the_CLI_works_as_a_bearer_key_is_listed_without_the_key_and_is_refused_once_revoked(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");

        var created = await CliRunner.RunAsync(host.StoreArguments, "apikey", "create", "--enterprise", "acme", "--name", "deploy script", "--expires", "2099-01-31");
        Assert.Equal(0, created.ExitCode);
        var json = created.Json.AsObject();
        var id = json["id"]!.GetValue<string>();
        var key = json["key"]!.GetValue<string>();
        Assert.StartsWith("rak_", key);
        Assert.Equal("acme", json["enterprise"]!.GetValue<string>());
        Assert.Equal("deploy script", json["name"]!.GetValue<string>());
        Assert.Equal("2099-01-31T00:00:00.000Z", json["expiresAt"]!.GetValue<string>());
        Assert.NotNull(json["createdAt"]);

        using (var api = AdminApiClient.For(host, acme, key))
        {
            var enterprise = (await api.GetAsync()).AssertOk();
            Assert.Equal(acme.Id, enterprise["id"]!.GetValue<string>());
        }

        var listed = await CliRunner.RunAsync(host.StoreArguments, "apikey", "list", "--enterprise", "acme");
        Assert.Equal(0, listed.ExitCode);
        Assert.DoesNotContain(key, listed.Out);
        Assert.DoesNotContain(key[4..], listed.Out);
        var entry = Assert.Single(listed.Json.AsArray())!.AsObject();
        Assert.Equal(id, entry["id"]!.GetValue<string>());
        Assert.Null(entry["key"]);
        Assert.Equal("active", entry["status"]!.GetValue<string>());
        Assert.NotNull(entry["lastUsedAt"]); // the request above used it

        // The table holds the key's SHA-256, and no column holds the key or a part of it longer than the hint.
        var rows = await new RosterDatabase(host.Options).ReadAsync(c => c.Command(
                "SELECT id, enterprise_id, name, key_hash, hint FROM admin_api_keys")
            .ListAsync(r => Enumerable.Range(0, 5).Select(r.GetString).ToArray()));
        var row = Assert.Single(rows);
        Assert.Equal(Identifiers.HashSecret(key), row[3]);
        Assert.All(row, column => Assert.DoesNotContain(key[4..^4], column));
        Assert.Equal(key[^4..], row[4]);

        var revoked = await CliRunner.RunAsync(host.StoreArguments, "apikey", "revoke", "--enterprise", "acme", id);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal("revoked", revoked.Json["status"]!.GetValue<string>());
        using (var api = AdminApiClient.For(host, acme, key))
            (await api.GetAsync()).AssertProblem(401);

        var audit = await host.Directory.Audit.ListAsync(acme, 10);
        Assert.Equal([AdminAction.ApiKeyRevoked, AdminAction.ApiKeyCreated], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.StartsWith("command line (", e.Actor));
        Assert.All(audit, e => Assert.DoesNotContain(key, e.Summary));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_expired_key_is_refused_as_an_unknown_one(string kind)
    {
        var clock = new ManualClock();
        await using var host = await RosterTestHost.StartAsync(kind, clock: clock);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var issued = await host.Directory.ApiKeys.CreateAsync(acme, "short-lived", clock.GetUtcNow().AddHours(1), actor: null);
        using var api = AdminApiClient.For(host, acme, issued.Key);
        using var unknown = AdminApiClient.For(host, acme, "rak_" + new string('x', 43));

        (await api.GetAsync()).AssertOk();
        clock.Advance(TimeSpan.FromHours(2));
        var expired = await api.GetAsync();
        expired.AssertProblem(401);
        Assert.Equal((await unknown.GetAsync()).Body, expired.Body);
        Assert.Equal("expired", Assert.Single(await host.Directory.ApiKeys.ListAsync(acme)).Status(clock.GetUtcNow()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_CLI_refuses_a_bad_expiry_and_an_unknown_key_id_in_one_line(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        await host.Directory.Enterprises.CreateAsync("Acme");

        var badDate = await CliRunner.RunAsync(host.StoreArguments, "apikey", "create", "--enterprise", "acme", "--expires", "next week");
        Assert.Contains("--expires takes a date like 2027-01-31", badDate.AssertFailed(2));
        var past = await CliRunner.RunAsync(host.StoreArguments, "apikey", "create", "--enterprise", "acme", "--expires", "2001-01-01");
        Assert.Contains("The expiry must be in the future.", past.AssertFailed());
        var unknown = await CliRunner.RunAsync(host.StoreArguments, "apikey", "revoke", "--enterprise", "acme", "no-such-key");
        Assert.Contains("has no API key 'no-such-key'", unknown.AssertFailed());
        Assert.Empty((await CliRunner.RunAsync(host.StoreArguments, "apikey", "list", "--enterprise", "acme")).Json.AsArray());
    }
}
