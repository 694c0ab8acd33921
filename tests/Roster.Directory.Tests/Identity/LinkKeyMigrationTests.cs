using Roster.Directory.Identity;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests.Identity;

/// <summary>Migration 0014 makes SAML's own match_by the enterprise's one link key, keeping what each
/// enterprise had chosen.</summary>
public sealed class LinkKeyMigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Each_enterprise_keeps_the_key_its_sign_ins_were_matched_by(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var database = new RosterDatabase(fixture.Options);
        await new Migrator(database).ApplyAsync(throughVersion: 13);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            // As Roster 0013 left them: matched by email; by email with a link key chosen since; by userName.
            foreach (var (id, matchBy) in new[] { ("e-mail", "email"), ("e-chosen", "email"), ("e-user", "userName") })
            {
                await connection.Command("INSERT INTO enterprises (id, slug, name, created_at, scim_enabled) VALUES (@id, @id, @id, 1, @on)", transaction)
                    .With("@id", id).With("@on", true).ExecuteAsync();
                await connection.Command(
                        "INSERT INTO saml_configurations (enterprise_id, sp_entity_id, acs_url, login_url, idp_entity_id, idp_sso_url, allow_idp_initiated, " +
                        "allow_sha1, sign_authn_requests, want_assertions_signed, match_by, jit_provisioning, sp_certificate_pem, sp_private_key_pem, " +
                        "revision, configured_at, updated_at) VALUES (@id, 'sp', 'acs', 'login', 'idp', 'sso', @off, @off, @on, @off, @match, @off, 'c', 'k', 1, 1, 2)",
                        transaction)
                    .With("@id", id).With("@on", true).With("@off", false).With("@match", matchBy).ExecuteAsync();
            }
            await connection.Command("INSERT INTO enterprise_linking (enterprise_id, link_key, adopt_existing, updated_at) VALUES ('e-chosen', 'externalId', @on, 3)",
                transaction).With("@on", true).ExecuteAsync();
        });

        var directory = await RosterDirectory.OpenAsync(fixture.Options);

        Assert.Equal(LinkKey.Email, await KeyAsync("e-mail"));
        Assert.False((await directory.Linking.GetAsync(await directory.Enterprises.GetAsync("e-mail"))).AdoptExisting);
        Assert.Equal(LinkKey.ExternalId, await KeyAsync("e-chosen"));
        Assert.True((await directory.Linking.GetAsync(await directory.Enterprises.GetAsync("e-chosen"))).AdoptExisting);
        Assert.Equal(LinkKey.UserName, await KeyAsync("e-user"));

        async Task<string> KeyAsync(string slug)
        {
            var enterprise = await directory.Enterprises.GetAsync(slug);
            var linkKey = (await directory.Linking.GetAsync(enterprise)).LinkKey;
            Assert.Equal(linkKey, (await directory.SamlConfigurations.GetAsync(enterprise))!.Options.MatchBy);
            return linkKey;
        }
    }
}
