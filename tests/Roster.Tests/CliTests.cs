using System.Diagnostics;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Tests;

/// <summary>The <c>roster</c> verbs, their JSON and their errors, on both stores.</summary>
public sealed class CliTests
{
    static Task<CliResult> RunAsync(IEnumerable<string> store, params string[] args) => CliRunner.RunAsync(store, args);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Enterprise_and_token_verbs_print_json_and_tokens_are_stored_hashed(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var store = host.StoreArguments;

        var created = await RunAsync(store, "enterprise", "create", "--name", "Acme Corp.");
        Assert.Equal(0, created.ExitCode);
        var enterprise = created.Json.AsObject();
        Assert.Equal("acme-corp", enterprise["slug"]!.GetValue<string>());
        Assert.Equal("Acme Corp.", enterprise["name"]!.GetValue<string>());
        Assert.Equal("/scim/v2/acme-corp", enterprise["scimPath"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(enterprise["id"]!.GetValue<string>()));

        var duplicate = await RunAsync(store, "enterprise", "create", "--name", "Acme Corp");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("", duplicate.Out);
        Assert.Single(duplicate.Error.TrimEnd().Split('\n'));
        Assert.Contains("already exists", duplicate.Error);

        var issued = (await RunAsync(store, "token", "create", "--enterprise", "acme-corp", "--name", "Okta")).Json.AsObject();
        var secret = issued["token"]!.GetValue<string>();
        var tokenId = issued["id"]!.GetValue<string>();
        Assert.StartsWith("rst_", secret);

        // The secret works against the server, and is nowhere in the listing or the database.
        using (var client = host.Client((await host.Directory.Enterprises.GetAsync("acme-corp")), $"Bearer {secret}"))
            Assert.Equal(200, (int)(await client.GetAsync("Users")).StatusCode);
        var listed = await RunAsync(store, "token", "list", "--enterprise", "acme-corp");
        Assert.Equal(0, listed.ExitCode);
        Assert.DoesNotContain(secret, listed.Out);
        var entry = Assert.Single(listed.Json.AsArray())!.AsObject();
        Assert.Equal(tokenId, entry["id"]!.GetValue<string>());
        Assert.Equal("active", entry["status"]!.GetValue<string>());
        Assert.NotNull(entry["lastUsedAt"]);
        Assert.Equal((0L, 1L), await TokenRowsAsync(host, secret));

        var revoked = await RunAsync(store, "token", "revoke", "--enterprise", "acme-corp", tokenId);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal("revoked", revoked.Json["status"]!.GetValue<string>());
        using (var client = host.Client((await host.Directory.Enterprises.GetAsync("acme-corp")), $"Bearer {secret}"))
            Assert.Equal(401, (int)(await client.GetAsync("Users")).StatusCode);

        var unknown = await RunAsync(store, "token", "revoke", "--enterprise", "acme-corp", "no-such-token");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no token 'no-such-token'", unknown.Error);
        var noEnterprise = await RunAsync(store, "token", "list", "--enterprise", "nobody");
        Assert.Equal(1, noEnterprise.ExitCode);
        Assert.Contains("No enterprise 'nobody'", noEnterprise.Error);
    }

    /// <summary>How many token rows hold <paramref name="text"/> in a column, and how many hold its hash.</summary>
    static Task<(long Plain, long Hashed)> TokenRowsAsync(RosterTestHost host, string text) =>
        host.Directory.Database.ReadAsync(async c =>
        {
            var plain = await c.Command("SELECT count(*) FROM scim_tokens WHERE token_hash = @t OR hint = @t OR name = @t OR id = @t")
                .With("@t", text).ScalarLongAsync();
            var hashed = await c.Command("SELECT count(*) FROM scim_tokens WHERE token_hash = @h")
                .With("@h", Roster.Directory.Identifiers.HashSecret(text)).ScalarLongAsync();
            return (plain, hashed);
        });

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Log_prints_attempts_newest_first_with_the_reason_of_each_failure(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        const string user = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""";
        (await okta.PostAsync("Users", user)).AssertOk(201);
        (await okta.PostAsync("Users", user)).AssertError(409);
        (await okta.PostAsync("Users", "{oops")).AssertError(400);

        var table = await RunAsync(host.StoreArguments, "log", "--enterprise", okta.Enterprise.Slug);
        Assert.Equal(0, table.ExitCode);
        var lines = table.Out.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length); // header + 3 attempts
        Assert.StartsWith("TIME", lines[0]);
        Assert.Contains("not valid JSON", lines[1]);
        Assert.Contains("409", lines[2]);
        Assert.Contains("already exists", lines[2]);
        Assert.Contains("provisioned", lines[3]);
        Assert.Contains("ann@acme.example", lines[3]);

        var failed = (await RunAsync(host.StoreArguments, "log", "--enterprise", okta.Enterprise.Slug, "--failed", "--json")).Json.AsArray();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, e => Assert.Equal("failed", e!["outcome"]!.GetValue<string>()));
        Assert.Equal(400, failed[0]!["status"]!.GetValue<int>());
        Assert.Equal("invalidSyntax", failed[0]!["scimType"]!.GetValue<string>());
        Assert.Equal(409, failed[1]!["status"]!.GetValue<int>());
        Assert.Equal("uniqueness", failed[1]!["scimType"]!.GetValue<string>());
        Assert.Equal("create", failed[1]!["operation"]!.GetValue<string>());
        Assert.Equal("ann@acme.example", failed[1]!["target"]!.GetValue<string>());
        Assert.NotNull(failed[1]!["time"]);

        var limited = (await RunAsync(host.StoreArguments, "log", "--enterprise", okta.Enterprise.Slug, "--limit", "1", "--json")).Json.AsArray();
        Assert.Single(limited);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Schema_verbs_refuse_what_they_cannot_do_in_one_line(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var store = host.StoreArguments;
        await host.Directory.Enterprises.CreateAsync("Acme");
        var dir = System.IO.Directory.CreateTempSubdirectory("roster-schema-").FullName;
        try
        {
            string File(string name, string text)
            {
                var path = Path.Combine(dir, name);
                System.IO.File.WriteAllText(path, text);
                return path;
            }
            const string urn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
            var good = File("good.json", $$"""{"id":"{{urn}}","attributes":[{"name":"costCenter"}]}""");

            var missing = (await RunAsync(store, "schema", "add", "--enterprise", "acme", "--file", Path.Combine(dir, "nope.json"))).AssertFailed();
            Assert.Contains("No file", missing);
            var notJson = (await RunAsync(store, "schema", "add", "--enterprise", "acme", "--file", File("bad.json", "{\n  \"id\": oops}"))).AssertFailed();
            Assert.Contains("is not valid JSON at line 2", notJson);
            var invalid = (await RunAsync(store, "schema", "add", "--enterprise", "acme", "--file",
                File("invalid.json", """{"id":"urn:example:acme:User","attributes":[{"name":"badge","type":"number"}]}"""))).AssertFailed();
            Assert.Contains("attributes[0] (badge).type: \"number\" is not one of string, boolean", invalid);
            var standard = (await RunAsync(store, "schema", "add", "--enterprise", "acme", "--file",
                File("standard.json", """{"id":"urn:ietf:params:scim:schemas:core:2.0:User","attributes":[{"name":"x"}]}"""))).AssertFailed();
            Assert.Contains("id: 'urn:ietf:params:scim:schemas:core:2.0:User' is a standard SCIM schema", standard);
            var nobody = (await RunAsync(store, "schema", "add", "--enterprise", "nobody", "--file", good)).AssertFailed();
            Assert.Contains("No enterprise 'nobody'", nobody);
            Assert.Empty((await RunAsync(store, "schema", "list", "--enterprise", "acme")).Json.AsArray());

            Assert.Equal(0, (await RunAsync(store, "schema", "add", "--enterprise", "acme", "--file", good)).ExitCode);
            var twice = (await RunAsync(store, "schema", "add", "--enterprise", "acme", "--file", good)).AssertFailed();
            Assert.Contains($"already declares '{urn}'", twice);
            var unknown = (await RunAsync(store, "schema", "remove", "--enterprise", "acme", "urn:example:nothing")).AssertFailed();
            Assert.Contains("declares no schema 'urn:example:nothing'", unknown);

            // Usage errors: exit 2, with where to find help.
            foreach (var args in new string[][]
            {
                ["schema"], ["schema", "add", "--enterprise", "acme"], ["schema", "add", "--file", good],
                ["schema", "remove", "--enterprise", "acme"], ["schema", "list", "--enterprise", "acme", "extra"],
                ["schema", "remove", "--enterprise", "acme", urn, "--force=yes"],
            })
            {
                Assert.Contains("See 'roster --help'", (await RunAsync(store, args)).AssertFailed(2));
            }
            Assert.Single((await RunAsync(store, "schema", "list", "--enterprise", "acme")).Json.AsArray());
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Usage_errors_are_one_line_on_stderr_with_a_nonzero_exit()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("roster-cli-").FullName;
        try
        {
            string[] store = ["--data", dir];
            foreach (var args in new string[][]
            {
                new[] { "bogus" }, ["enterprise"], ["enterprise", "create"], ["enterprise", "create", "--name"],
                ["enterprise", "create", "--name", "A", "--colour", "red"], ["token", "revoke", "--enterprise", "x"],
                ["log", "--enterprise", "x", "--limit", "lots"], ["enterprise", "create", "--name", "A", "--slug", "Not A Slug"],
            })
            {
                var result = await RunAsync(store, args);
                Assert.NotEqual(0, result.ExitCode);
                Assert.Equal("", result.Out);
                Assert.Single(result.Error.TrimEnd().Split('\n'));
                Assert.StartsWith("roster: ", result.Error);
            }

            var help = await RunAsync([], "--help");
            Assert.Equal(0, help.ExitCode);
            foreach (var verb in new[] { "serve", "enterprise create", "token create", "token list", "token revoke", "schema add", "schema list", "schema remove", "log", "role map", "role unmap", "role list", "member list", "member show" })
                Assert.Contains(verb, help.Out);

            var both = await RunAsync([], "enterprise", "list", "--data", dir, "--database", "Host=127.0.0.1");
            Assert.Equal(2, both.ExitCode);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>`roster serve` as its own process on a SQLite folder, and the CLI working on the same
    /// folder while it runs.</summary>
    [Fact]
    public async Task Serve_prints_where_it_listens_and_the_cli_works_beside_it()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("roster-serve-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Roster.dll"), "serve", "--data", dir, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var server = Process.Start(start)!;
        try
        {
            var listening = await ReadLineContainingAsync(server.StandardOutput, "listening on", TimeSpan.FromSeconds(60));
            Assert.Contains($"http://127.0.0.1:{port}", listening);

            string[] store = ["--data", dir];
            var enterprise = (await RunAsync(store, "enterprise", "create", "--name", "Initech")).Json;
            var token = (await RunAsync(store, "token", "create", "--enterprise", "initech")).Json["token"]!.GetValue<string>();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/scim/v2/initech/") };
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
            var created = await http.PostAsync("Users", new StringContent(
                """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"peter@initech.example"}""",
                System.Text.Encoding.UTF8, "application/scim+json"));
            Assert.Equal(201, (int)created.StatusCode);

            var log = (await RunAsync(store, "log", "--enterprise", "initech", "--json")).Json.AsArray();
            Assert.Equal("peter@initech.example", Assert.Single(log)!["target"]!.GetValue<string>());
            var shown = (await RunAsync(store, "enterprise", "show", "initech")).Json;
            Assert.Equal(1, shown["seatsUsed"]!.GetValue<int>());
            Assert.Equal(enterprise["id"]!.GetValue<string>(), shown["id"]!.GetValue<string>());

            // A schema declared while the server runs is served from its next request on.
            const string urn = "urn:example:initech:User";
            Assert.Equal(404, (int)(await http.GetAsync($"Schemas/{urn}")).StatusCode);
            var file = Path.Combine(dir, "initech.json");
            await File.WriteAllTextAsync(file, $$"""{"id":"{{urn}}","attributes":[{"name":"stapler","type":"boolean"}]}""");
            Assert.Equal(0, (await RunAsync(store, "schema", "add", "--enterprise", "initech", "--file", file)).ExitCode);
            Assert.Equal(200, (int)(await http.GetAsync($"Schemas/{urn}")).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    static async Task<string> ReadLineContainingAsync(StreamReader reader, string text, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) return line;
        }
        throw new InvalidOperationException($"The server exited without printing '{text}'.");
    }
}
