using Roster.Cli;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Testing;
using Roster.Testing.Saml;
using Roster.Tests.Saml;

namespace Roster.Tests.Isolation;

/// <summary>
/// Everything an operator changes from the command line is in the audit log, as the command line: every
/// verb of <see cref="RosterCli.Verbs"/> is classed here (so that a verb added later fails this test
/// until it is), each verb that changes an enterprise is run once and adds exactly the entries it
/// should, naming <see cref="AuditActor.CommandLine"/>, and each verb classed as read-only is run once
/// and leaves every row of the enterprise as it was.
/// </summary>
public sealed class CliAuditTests(ITestOutputHelper output)
{
    const string Slug = "acme";

    /// <summary>Verbs not run here, with the reason none is an admin's change of an enterprise.</summary>
    static readonly Dictionary<string, string> NotRun = new(StringComparer.Ordinal)
    {
        ["serve"] = "runs the server until stopped; its one write, the first-run link, belongs to no enterprise " +
                    "(using the link is audited as owner.created, see ConsoleAuditTests)",
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_CLI_verb_that_changes_an_enterprise_adds_its_audit_entry_naming_the_command_line(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var store = host.StoreArguments;
        var files = System.IO.Directory.CreateTempSubdirectory("roster-cli-audit-");
        try
        {
            var idp = TestIdentityProvider.Okta();
            var certificate = Path.Combine(files.FullName, "idp.pem");
            await File.WriteAllTextAsync(certificate, idp.CertificatePem);
            const string urn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
            var schema = Path.Combine(files.FullName, "schema.json");
            await File.WriteAllTextAsync(schema, $$"""{"id":"{{urn}}","attributes":[{"name":"costCenter"}]}""");

            Enterprise? acme = null;
            Enterprise Acme() => acme ?? throw new InvalidOperationException("`enterprise create` runs first.");
            ScimClient? idpScim = null;
            async Task<ScimClient> IdpScimAsync() => idpScim ??= await UnauditedSetUp.IdpAsync(host, Acme());
            string tokenId = "", apiKeyId = "", adoptId = "", keepApartId = "";

            // In an order that works: each change's precondition is left by the one before, or made in the
            // store (without an actor, so adding no entry) by its set-up.
            var changes = new List<(string[] Args, string[] Actions, Func<Task>? SetUp, Action<CliResult>? Read)>
            {
                (["enterprise", "create", "--name", "Acme"], [AdminAction.EnterpriseCreated], null, null),
                (["saml", "configure", "--enterprise", Slug, "--idp-entity-id", idp.EntityId, "--idp-sso-url", SamlTestEnterprise.IdpSsoUrl,
                  "--idp-certificate", certificate], [AdminAction.SamlConfigured], null, null),
                (["scim", "enable", "--enterprise", Slug], [AdminAction.ScimEnabled], async () =>
                {
                    var configuration = await host.Directory.SamlConfigurations.GetAsync(Acme());
                    Assert.True(await host.Directory.SamlConfigurations.MarkVerifiedAsync(Acme(), configuration!, "ann@acme.example"));
                }, null),
                (["token", "create", "--enterprise", Slug, "--name", "Okta"], [AdminAction.ScimTokenCreated], null,
                    created => tokenId = created.Json["id"]!.GetValue<string>()),
                (["token", "revoke", "--enterprise", Slug, "{token}"], [AdminAction.ScimTokenRevoked], null, null),
                (["schema", "add", "--enterprise", Slug, "--file", schema], [AdminAction.SchemaAdded], null, null),
                (["schema", "remove", "--enterprise", Slug, urn], [AdminAction.SchemaRemoved], null, null),
                (["role", "map", "--enterprise", Slug, "--group", "Admins", "--role", "admin"], [AdminAction.RoleMapped], async () =>
                    (await (await IdpScimAsync()).PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins"}"""))
                        .AssertOk(201), null),
                (["role", "unmap", "--enterprise", Slug, "--group", "Admins"], [AdminAction.RoleUnmapped], null, null),
                (["owner", "create", "--enterprise", Slug, "--email", "olga@acme.example"], [AdminAction.OwnerCreated], null, null),
                (["owner", "reset", "--enterprise", Slug, "olga@acme.example"], [AdminAction.OwnerPasswordLinkIssued], null, null),
                // Not the last owner: another is made in the store first.
                (["owner", "remove", "--enterprise", Slug, "olga@acme.example"], [AdminAction.OwnerRemoved],
                    () => host.Directory.Owners.CreateAsync(Acme(), "pat@acme.example", null, actor: null), null),
                (["domain", "add", "--enterprise", Slug, "acme.example"], [AdminAction.DomainAdded], null, null),
                (["domain", "rule", "--enterprise", Slug, "--outside", "flag"], [AdminAction.DomainRuleChanged], null, null),
                (["domain", "remove", "--enterprise", Slug, "acme.example"], [AdminAction.DomainRemoved], null, null),
                // Two members who signed in before SCIM, whose creates by the IdP are then refused as conflicts.
                (["conflict", "adopt", "--enterprise", Slug, "{adopt}"], [AdminAction.MemberAdopted], async () =>
                {
                    adoptId = await UnauditedSetUp.ConflictAsync(host, Acme(), await IdpScimAsync(), "jane@acme.example");
                    keepApartId = await UnauditedSetUp.ConflictAsync(host, Acme(), await IdpScimAsync(), "bob@acme.example");
                }, null),
                (["conflict", "keep-apart", "--enterprise", Slug, "{keep-apart}"], [AdminAction.MemberKeptApart], null, null),
                (["linking", "set", "--enterprise", Slug, "--adopt", "on"], [AdminAction.LinkingChanged], null, null),
                (["policy", "set", "--enterprise", Slug, "--grace-days", "7"], [AdminAction.DeprovisioningPolicyChanged], null, null),
                (["ratelimit", "set", "--enterprise", Slug, "--per-token", "50"], [AdminAction.RateLimitChanged], null, null),
                (["apikey", "create", "--enterprise", Slug, "--name", "script"], [AdminAction.ApiKeyCreated], null,
                    created => apiKeyId = created.Json["id"]!.GetValue<string>()),
                (["apikey", "revoke", "--enterprise", Slug, "{apikey}"], [AdminAction.ApiKeyRevoked], null, null),
                (["scim", "disable", "--enterprise", Slug], [AdminAction.ScimDisabled], null, null),
            };

            // Each prints what is there and writes nothing of the enterprise (checked below, row by row).
            var readOnly = new List<string[]>
            {
                new[] { "enterprise", "list" },
                new[] { "enterprise", "show", Slug },
                new[] { "token", "list", "--enterprise", Slug },
                new[] { "scim", "status", "--enterprise", Slug },
                new[] { "schema", "list", "--enterprise", Slug },
                new[] { "role", "list", "--enterprise", Slug },
                new[] { "member", "list", "--enterprise", Slug },
                new[] { "member", "show", "--enterprise", Slug, "{adopt}" },
                new[] { "log", "--enterprise", Slug },
                new[] { "audit", "--enterprise", Slug },
                new[] { "saml", "show", "--enterprise", Slug },
                new[] { "saml", "metadata", "--enterprise", Slug },
                new[] { "saml", "log", "--enterprise", Slug },
                new[] { "owner", "list", "--enterprise", Slug },
                new[] { "domain", "list", "--enterprise", Slug },
                new[] { "linking", "show", "--enterprise", Slug },
                new[] { "conflict", "list", "--enterprise", Slug, "--all" },
                new[] { "policy", "show", "--enterprise", Slug },
                new[] { "health", "--enterprise", Slug },
                new[] { "ratelimit", "show", "--enterprise", Slug },
                new[] { "apikey", "list", "--enterprise", Slug },
                // Brings the database's schema up to date (here: already is); no enterprise's rows.
                new[] { "migrate" },
            };

            var classed = changes.Select(c => VerbOf(c.Args)).Concat(readOnly.Select(VerbOf)).Concat(NotRun.Keys).ToList();
            Assert.Equal(classed.Count, classed.Distinct().Count());
            var unclassed = RosterCli.Verbs.Select(v => v.Path).Except(classed).ToList();
            Assert.True(unclassed.Count == 0,
                $"Verbs not classed by this test: {string.Join(", ", unclassed)}. Run each here as an audited change, or as read-only.");
            Assert.Empty(classed.Except(RosterCli.Verbs.Select(v => v.Path)));

            string[] Filled(string[] args) => args.Select(a => a switch
            {
                "{token}" => tokenId,
                "{apikey}" => apiKeyId,
                "{adopt}" => adoptId,
                "{keep-apart}" => keepApartId,
                _ => a,
            }).ToArray();

            var actor = AuditActor.CommandLine(Environment.UserName, Environment.MachineName).Description;
            var runs = 0;
            foreach (var (args, actions, setUp, read) in changes)
            {
                if (setUp is not null) await setUp();
                var before = await EntriesAsync(host);
                var result = await CliRunner.RunAsync(store, Filled(args));
                runs++;
                Assert.True(result.ExitCode == 0, $"roster {string.Join(' ', args)}: exit {result.ExitCode}: {result.Error}");
                acme ??= await host.Directory.Enterprises.GetAsync(Slug);
                read?.Invoke(result);
                var added = (await EntriesAsync(host)).Where(e => before.All(b => b.Id != e.Id)).OrderBy(e => e.Id).ToList();
                Assert.True(actions.SequenceEqual(added.Select(e => e.Action)),
                    $"roster {VerbOf(args)}: expected the entries {string.Join(", ", actions)}, the log has {(added.Count == 0 ? "none" : string.Join(", ", added.Select(e => e.Action)))}");
                Assert.All(added, e => Assert.Equal(actor, e.Actor));
                output.WriteLine($"roster {VerbOf(args)}: {string.Join("; ", added.Select(e => $"{e.Action}: {e.Summary}"))}");
            }

            var rows = await DatabaseSnapshot.TakeAsync(host.Directory.Database, Acme().Id);
            foreach (var args in readOnly)
            {
                var result = await CliRunner.RunAsync(store, Filled(args));
                runs++;
                Assert.True(result.ExitCode == 0, $"roster {string.Join(' ', args)}: exit {result.ExitCode}: {result.Error}");
            }
            Assert.Equal(rows, await DatabaseSnapshot.TakeAsync(host.Directory.Database, Acme().Id));
            output.WriteLine($"{RosterCli.Verbs.Count} verbs: {changes.Count} changes audited, {readOnly.Count} read-only and unchanging, {NotRun.Count} not run; {runs} runs");
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    /// <summary>The verb of a command line: its leading words.</summary>
    static string VerbOf(string[] args) => string.Join(' ', args.TakeWhile(a => !a.StartsWith('-') && !a.StartsWith('{') && a != Slug));

    static async Task<List<AdminAuditEntry>> EntriesAsync(RosterTestHost host) =>
        await host.Directory.Enterprises.FindBySlugAsync(Slug) is { } enterprise ? await host.Directory.Audit.ListAsync(enterprise, 1000) : [];
}
