using Roster.Directory.Storage;
using Roster.Directory.Tests.SignOn;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>SCIM provisioning is turned on once SAML sign-in works; enterprises from before keep it.</summary>
public sealed class ScimActivationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Enterprises_from_before_the_migration_keep_scim_on_and_new_ones_start_off(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        // The database as Roster left it before SAML (migration 5), with an enterprise provisioning
        // through a token, as that Roster wrote them.
        await new RosterDatabase(fixture.Options).MigrateThroughAsync(5);
        const string secret = "rst_provisioning-before-saml";
        await new RosterDatabase(fixture.Options).InTransactionAsync(async (c, t) =>
        {
            await c.Command("INSERT INTO enterprises (id, slug, name, created_at) VALUES ('e-old', 'old', 'Old Corp', 1)", t).ExecuteAsync();
            await c.Command("INSERT INTO scim_tokens (id, enterprise_id, name, token_hash, hint, created_at) VALUES ('t-old', 'e-old', 'Okta', @h, 'fore', 1)", t)
                .With("@h", Identifiers.HashSecret(secret)).ExecuteAsync();
        });

        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var old = await directory.Enterprises.GetAsync("old");
        Assert.True((await directory.ScimActivation.StatusAsync(old)).ScimEnabled);
        Assert.True((await directory.Enterprises.SummarizeAsync(old)).ScimEnabled);
        var check = await directory.Tokens.AuthenticateAsync(old, secret);
        Assert.True(check.Succeeded);
        Assert.True(check.ScimEnabled);

        var fresh = await directory.Enterprises.CreateAsync("New Corp");
        var status = await directory.ScimActivation.StatusAsync(fresh);
        Assert.False(status.ScimEnabled);
        Assert.False(status.SamlConfigured);
        Assert.False(status.SamlVerified);
        var token = await directory.Tokens.CreateAsync(fresh, "Okta", null);
        var freshCheck = await directory.Tokens.AuthenticateAsync(fresh, token.Secret);
        Assert.True(freshCheck.Succeeded);
        Assert.False(freshCheck.ScimEnabled);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Scim_is_turned_on_only_once_saml_is_configured_and_a_test_sign_in_succeeded(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var activation = directory.ScimActivation;

        var notConfigured = await Assert.ThrowsAsync<RosterException>(() => activation.EnableAsync(acme));
        Assert.StartsWith("SCIM can be turned on once SAML sign-in works: configure SAML with `roster saml configure --enterprise acme --idp-metadata FILE|URL`",
            notConfigured.Message);
        Assert.False((await activation.StatusAsync(acme)).ScimEnabled);

        var configured = (await directory.SamlConfigurations.SaveAsync(acme, SamlSettingsFor.Settings("acme"))).After;
        var untested = await Assert.ThrowsAsync<RosterException>(() => activation.EnableAsync(acme));
        Assert.StartsWith("SCIM can be turned on once SAML sign-in works: SAML is configured for 'acme', but no test sign-in has succeeded", untested.Message);
        Assert.Contains("Sign in once at https://roster.example.com/saml/acme/login?test=1", untested.Message);
        Assert.NotEqual(notConfigured.Message, untested.Message);
        var status = await activation.StatusAsync(acme);
        Assert.Equal((false, true, false), (status.ScimEnabled, status.SamlConfigured, status.SamlVerified));

        Assert.True(await directory.SamlConfigurations.MarkVerifiedAsync(acme, configured, "ann@acme.example"));
        var enabled = await activation.EnableAsync(acme);
        Assert.Equal((true, true, true), (enabled.ScimEnabled, enabled.SamlConfigured, enabled.SamlVerified));
        Assert.True((await activation.StatusAsync(acme)).ScimEnabled);
        Assert.True((await activation.EnableAsync(acme)).ScimEnabled); // again: nothing to do

        // The IdP changes: it must be tested again, but the directory it provisions stays in service.
        var changed = await directory.SamlConfigurations.SaveAsync(acme,
            SamlSettingsFor.Settings("acme", SamlSettingsFor.IdentityProvider(certificates: [SamlSettingsFor.IdpNext.Value])));
        Assert.True(changed.VerificationCleared);
        status = await activation.StatusAsync(acme);
        Assert.Equal((true, true, false), (status.ScimEnabled, status.SamlConfigured, status.SamlVerified));

        // Turned off, it comes back on only through a working sign-in again.
        Assert.False((await activation.DisableAsync(acme)).ScimEnabled);
        Assert.False((await activation.DisableAsync(acme)).ScimEnabled);
        await Assert.ThrowsAsync<RosterException>(() => activation.EnableAsync(acme));
        Assert.True(await directory.SamlConfigurations.MarkVerifiedAsync(acme, changed.After, "ann@acme.example"));
        Assert.True((await activation.EnableAsync(acme)).ScimEnabled);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_switch_belongs_to_one_enterprise(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var configured = (await directory.SamlConfigurations.SaveAsync(acme, SamlSettingsFor.Settings("acme"))).After;
        await directory.SamlConfigurations.MarkVerifiedAsync(acme, configured, "ann@acme.example");

        await directory.ScimActivation.EnableAsync(acme);
        Assert.False((await directory.ScimActivation.StatusAsync(globex)).SamlConfigured);
        await Assert.ThrowsAsync<RosterException>(() => directory.ScimActivation.EnableAsync(globex));
        await directory.Enterprises.SetScimEnabledAsync(globex, true);
        await directory.ScimActivation.DisableAsync(acme);
        Assert.False((await directory.ScimActivation.StatusAsync(acme)).ScimEnabled);
        Assert.True((await directory.ScimActivation.StatusAsync(globex)).ScimEnabled);
    }
}
