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
        Assert.False(enterprise["scimEnabled"]!.GetValue<bool>());

        var duplicate = await RunAsync(store, "enterprise", "create", "--name", "Acme Corp");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("", duplicate.Out);
        Assert.Single(duplicate.Error.TrimEnd().Split('\n'));
        Assert.Contains("already exists", duplicate.Error);

        var issued = (await RunAsync(store, "token", "create", "--enterprise", "acme-corp", "--name", "Okta")).Json.AsObject();
        var secret = issued["token"]!.GetValue<string>();
        var tokenId = issued["id"]!.GetValue<string>();
        Assert.StartsWith("rst_", secret);
        Assert.False(issued["scimEnabled"]!.GetValue<bool>());
        Assert.Contains("roster scim enable --enterprise acme-corp", issued["warning"]!.GetValue<string>());

        // The secret works against the server once SCIM is on (switched on in the store: turning it
        // on through its rule is ScimActivationTests' subject), and is nowhere in the listing or the database.
        await host.Directory.Enterprises.SetScimEnabledAsync(await host.Directory.Enterprises.GetAsync("acme-corp"), true);
        Assert.Null((await RunAsync(store, "token", "create", "--enterprise", "acme-corp")).Json["warning"]);
        using (var client = host.Client((await host.Directory.Enterprises.GetAsync("acme-corp")), $"Bearer {secret}"))
            Assert.Equal(200, (int)(await client.GetAsync("Users")).StatusCode);
        var listed = await RunAsync(store, "token", "list", "--enterprise", "acme-corp");
        Assert.Equal(0, listed.ExitCode);
        Assert.DoesNotContain(secret, listed.Out);
        var entry = listed.Json.AsArray().Single(t => t!["id"]!.GetValue<string>() == tokenId)!.AsObject();
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

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Scim_verbs_turn_provisioning_on_once_saml_sign_in_works_and_print_its_status(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var store = host.StoreArguments;
        Assert.Equal(0, (await RunAsync(store, "enterprise", "create", "--name", "Acme")).ExitCode);
        var acme = await host.Directory.Enterprises.GetAsync("acme");

        async Task<(bool Enabled, bool Configured, bool Verified)> StatusAsync(params string[] verb)
        {
            var result = await RunAsync(store, [.. verb, "--enterprise", "acme"]);
            Assert.True(result.ExitCode == 0, result.Error);
            var json = result.Json.AsObject();
            Assert.Equal(["enterprise", "scimEnabled", "samlConfigured", "samlVerified", "scimPath"], json.Select(p => p.Key));
            Assert.Equal("acme", json["enterprise"]!.GetValue<string>());
            Assert.Equal("/scim/v2/acme", json["scimPath"]!.GetValue<string>());
            return (json["scimEnabled"]!.GetValue<bool>(), json["samlConfigured"]!.GetValue<bool>(), json["samlVerified"]!.GetValue<bool>());
        }

        Assert.Equal((false, false, false), await StatusAsync("scim", "status"));
        var notConfigured = (await RunAsync(store, "scim", "enable", "--enterprise", "acme")).AssertFailed();
        Assert.Contains("SCIM can be turned on once SAML sign-in works: configure SAML with `roster saml configure --enterprise acme --idp-metadata FILE|URL`",
            notConfigured);

        // SAML configured (as `roster saml configure` will), not yet tested.
        var sp = TestCertificates.CreateSelfSigned("roster-sp");
        var idp = TestCertificates.CreateSelfSigned("okta");
        var configured = (await host.Directory.SamlConfigurations.SaveAsync(acme, new Roster.Directory.SignOn.SamlSettings(
            new Roster.Directory.SignOn.SamlServiceProvider("https://roster.example.com/saml/acme", "https://roster.example.com/saml/acme/acs",
                "https://roster.example.com/saml/acme/login", sp.CertificatePem(), sp.PrivateKeyPem()),
            new Roster.Directory.SignOn.SamlIdentityProvider("http://www.okta.com/exk1", "https://acme.okta.com/app/sso/saml",
                [Roster.Directory.SignOn.SamlIdpCertificate.FromPem(idp.CertificatePem())]),
            Roster.Directory.SignOn.SamlOptions.Default))).After;
        Assert.Equal((false, true, false), await StatusAsync("scim", "status"));
        var untested = (await RunAsync(store, "scim", "enable", "--enterprise", "acme")).AssertFailed();
        Assert.Contains("Sign in once at https://roster.example.com/saml/acme/login?test=1", untested);

        Assert.True(await host.Directory.SamlConfigurations.MarkVerifiedAsync(acme, configured, "ann@acme.example"));
        Assert.Equal((true, true, true), await StatusAsync("scim", "enable"));
        Assert.True((await RunAsync(store, "enterprise", "show", "acme")).Json["scimEnabled"]!.GetValue<bool>());
        var token = (await RunAsync(store, "token", "create", "--enterprise", "acme")).Json;
        Assert.True(token["scimEnabled"]!.GetValue<bool>());
        Assert.Null(token["warning"]);
        using (var client = host.Client(acme, $"Bearer {token["token"]!.GetValue<string>()}"))
            Assert.Equal(200, (int)(await client.GetAsync("Users")).StatusCode);

        Assert.Equal((false, true, true), await StatusAsync("scim", "disable"));
        Assert.Equal((false, true, true), await StatusAsync("scim", "status"));
        Assert.False((await RunAsync(store, "enterprise", "show", "acme")).Json["scimEnabled"]!.GetValue<bool>());

        Assert.Contains("No enterprise 'nobody'", (await RunAsync(store, "scim", "status", "--enterprise", "nobody")).AssertFailed());
        Assert.Contains("See 'roster --help'", (await RunAsync(store, "scim", "enable")).AssertFailed(2));
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
            foreach (var verb in new[] { "serve", "enterprise create", "token create", "token list", "token revoke", "schema add", "schema list", "schema remove", "log", "role map", "role unmap", "role list", "member list", "member show", "scim enable", "scim disable", "scim status" })
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
            // Nobody owns anything yet: the first-run link to the console's set-up page.
            var firstRun = await ReadLineContainingAsync(server.StandardOutput, "First run:", TimeSpan.FromSeconds(30));
            var setupPath = System.Text.RegularExpressions.Regex.Match(firstRun, @"/console/setup\?token=rsl_[A-Za-z0-9_-]+").Value;
            Assert.NotEqual("", setupPath);
            using (var console = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
                Assert.Equal(200, (int)(await console.GetAsync(setupPath)).StatusCode);

            string[] store = ["--data", dir];
            var enterprise = (await RunAsync(store, "enterprise", "create", "--name", "Initech")).Json;
            var token = (await RunAsync(store, "token", "create", "--enterprise", "initech")).Json["token"]!.GetValue<string>();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/scim/v2/initech/") };
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
            Task<HttpResponseMessage> PostPeterAsync() => http.PostAsync("Users", new StringContent(
                """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"peter@initech.example"}""",
                System.Text.Encoding.UTF8, "application/scim+json"));

            // SCIM starts off; switched on by another process (here the store, as the rule needs SAML),
            // the running server, which knows the enterprise by now, serves the very next request.
            Assert.Equal(403, (int)(await PostPeterAsync()).StatusCode);
            var beside = await Roster.Directory.RosterDirectory.OpenAsync(DatabaseOptions.Sqlite(dir));
            await beside.Enterprises.SetScimEnabledAsync(await beside.Enterprises.GetAsync("initech"), true);
            Assert.Equal(201, (int)(await PostPeterAsync()).StatusCode);

            var log = (await RunAsync(store, "log", "--enterprise", "initech", "--json")).Json.AsArray();
            Assert.Equal(2, log.Count);
            Assert.Equal("peter@initech.example", log[0]!["target"]!.GetValue<string>());
            Assert.Equal(403, log[1]!["status"]!.GetValue<int>());
            var shown = (await RunAsync(store, "enterprise", "show", "initech")).Json;
            Assert.Equal(1, shown["seatsUsed"]!.GetValue<int>());
            Assert.True(shown["scimEnabled"]!.GetValue<bool>());
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
