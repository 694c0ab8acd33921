using Roster.Directory.Identity;
using Roster.Directory.SignOn;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests.SignOn;

/// <summary>One SAML configuration per enterprise: the SP part fixed at first, the IdP part replaced
/// whole with its certificates, and a changed IdP tested again.</summary>
public sealed class SamlConfigurationsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_first_save_configures_and_later_saves_keep_the_service_provider(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = fixture;
        Assert.Null(await directory.SamlConfigurations.GetAsync(acme));

        var first = await directory.SamlConfigurations.SaveAsync(acme, SamlSettingsFor.Settings("acme"));
        Assert.True(first.Created);
        Assert.False(first.IdentityProviderChanged);
        var stored = await directory.SamlConfigurations.GetAsync(acme);
        Assert.NotNull(stored);
        Assert.Equal(acme.Id, stored.EnterpriseId);
        Assert.Equal(SamlSettingsFor.ServiceProvider("acme"), stored.ServiceProvider);
        Assert.Equal("http://www.okta.com/exk1", stored.IdentityProvider.EntityId);
        Assert.Equal(SamlSettingsFor.IdpCurrent.Value.ThumbprintSha256(), Assert.Single(stored.IdentityProvider.Certificates).ThumbprintSha256);
        Assert.Equal(SamlOptions.Default, stored.Options);
        Assert.Equal(1, stored.Revision);
        Assert.False(stored.IsVerified);
        Assert.Equal(clock.GetUtcNow(), stored.ConfiguredAt);
        Assert.Null(await directory.SamlConfigurations.GetAsync(globex));

        // Another public URL and key pair later: the IdP was set up with the first ones, which stay.
        clock.Advance(TimeSpan.FromMinutes(5));
        var moved = new SamlSettings(SamlSettingsFor.ServiceProvider("acme", "elsewhere.example.com", TestCertificates.CreateSelfSigned("other-sp")),
            SamlSettingsFor.IdentityProvider(), SamlOptions.Default with { MatchBy = LinkKey.Email, JitProvisioning = true });
        var second = await directory.SamlConfigurations.SaveAsync(acme, moved);
        Assert.False(second.Created);
        Assert.Equal(stored.ServiceProvider, second.After.ServiceProvider);
        Assert.Equal("https://roster.example.com/saml/acme/acs", second.After.ServiceProvider.AcsUrl);
        Assert.Equal(LinkKey.Email, second.After.Options.MatchBy);
        Assert.True(second.After.Options.JitProvisioning);
        Assert.Equal(2, second.After.Revision);
        Assert.Equal(stored.ConfiguredAt, second.After.ConfiguredAt);
        Assert.Equal(clock.GetUtcNow(), second.After.UpdatedAt);
        Assert.Equal(second.After.ServiceProvider, (await directory.SamlConfigurations.GetAsync(acme))!.ServiceProvider);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_save_replaces_the_certificates_and_a_changed_idp_must_be_tested_again(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, _) = fixture;
        var current = SamlSettingsFor.IdpCurrent.Value;
        var next = SamlSettingsFor.IdpNext.Value;
        var configurations = directory.SamlConfigurations;

        async Task<SamlConfigurationChange> SaveVerifiedAsync(SamlIdentityProvider idp, SamlOptions? options = null)
        {
            var before = (await configurations.GetAsync(acme))!;
            Assert.True(await configurations.MarkVerifiedAsync(acme, before, "ann@acme.example"));
            clock.Advance(TimeSpan.FromMinutes(1));
            return await configurations.SaveAsync(acme, SamlSettingsFor.Settings("acme", idp, options));
        }

        var configured = (await configurations.SaveAsync(acme, SamlSettingsFor.Settings("acme"))).After;
        var addedAt = Assert.Single(configured.IdentityProvider.Certificates).AddedAt;

        // Metadata saved again as it was, options changed: still the same IdP, still verified.
        var same = await SaveVerifiedAsync(SamlSettingsFor.IdentityProvider() with { MetadataXml = "<EntityDescriptor/>" },
            SamlOptions.Default with { AllowIdpInitiated = true });
        Assert.False(same.IdentityProviderChanged);
        Assert.True(same.After.IsVerified);
        Assert.Equal("ann@acme.example", same.After.VerifiedNameId);
        Assert.Equal("<EntityDescriptor/>", same.After.IdentityProvider.MetadataXml);

        // Rollover: the next certificate is published beside the current one, then replaces it.
        var rollover = await SaveVerifiedAsync(SamlSettingsFor.IdentityProvider(certificates: [current, next]));
        Assert.True(rollover.IdentityProviderChanged);
        Assert.True(rollover.VerificationCleared);
        Assert.Null(rollover.After.VerifiedNameId);
        Assert.Equal([current.ThumbprintSha256(), next.ThumbprintSha256()], rollover.After.IdentityProvider.Certificates.Select(c => c.ThumbprintSha256));
        Assert.Equal(addedAt, rollover.After.IdentityProvider.Certificates[0].AddedAt); // the one that stayed keeps its date
        Assert.Equal(clock.GetUtcNow(), rollover.After.IdentityProvider.Certificates[1].AddedAt);

        var replaced = await SaveVerifiedAsync(SamlSettingsFor.IdentityProvider(certificates: [next]));
        Assert.True(replaced.VerificationCleared);
        Assert.Equal(next.ThumbprintSha256(), Assert.Single(replaced.After.IdentityProvider.Certificates).ThumbprintSha256);
        Assert.Equal(1, await CertificateRowsAsync(directory, acme.Id));

        // Another entity id, another sign-on URL: each is another IdP.
        Assert.True((await SaveVerifiedAsync(SamlSettingsFor.IdentityProvider("https://sts.windows.net/t/", certificates: [next]))).VerificationCleared);
        Assert.True((await SaveVerifiedAsync(SamlSettingsFor.IdentityProvider("https://sts.windows.net/t/", "https://login.microsoftonline.com/t/saml2",
            next))).VerificationCleared);
        Assert.False((await configurations.GetAsync(acme))!.IsVerified);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Verification_counts_for_the_configuration_that_was_tested_only(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var tested = (await directory.SamlConfigurations.SaveAsync(acme, SamlSettingsFor.Settings("acme"))).After;

        // Saved again while the test sign-in was under way: it proved the old settings, not these.
        await directory.SamlConfigurations.SetOptionsAsync(acme, SamlOptions.Default with { AllowSha1 = true });
        Assert.False(await directory.SamlConfigurations.MarkVerifiedAsync(acme, tested, "ann@acme.example"));
        var current = (await directory.SamlConfigurations.GetAsync(acme))!;
        Assert.False(current.IsVerified);
        Assert.True(current.Options.AllowSha1);

        Assert.True(await directory.SamlConfigurations.MarkVerifiedAsync(acme, current, "ann@acme.example"));
        var withOptions = await directory.SamlConfigurations.SetOptionsAsync(acme, SamlOptions.Default);
        Assert.True(withOptions.IsVerified); // options say what Roster accepts, not who the IdP is
        Assert.False(withOptions.Options.AllowSha1);

        await Assert.ThrowsAsync<ArgumentException>(() => directory.SamlConfigurations.MarkVerifiedAsync(globex, current, "x"));
        var notConfigured = await Assert.ThrowsAsync<RosterException>(() => directory.SamlConfigurations.SetOptionsAsync(globex, SamlOptions.Default));
        Assert.Contains("roster saml configure --enterprise globex", notConfigured.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Settings_that_cannot_work_are_refused_and_change_nothing(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var third = TestCertificates.CreateSelfSigned("idp-third");
        var otherPair = TestCertificates.CreateSelfSigned("other");
        var sp = SamlSettingsFor.ServiceProvider("acme");

        async Task<string> RefusedAsync(SamlSettings settings) =>
            (await Assert.ThrowsAsync<RosterException>(() => directory.SamlConfigurations.SaveAsync(acme, settings))).Message;

        Assert.Contains("two during a rollover; 3 were given",
            await RefusedAsync(SamlSettingsFor.Settings("acme", SamlSettingsFor.IdentityProvider(certificates: [SamlSettingsFor.IdpCurrent.Value, SamlSettingsFor.IdpNext.Value, third]))));
        Assert.Contains("no signing certificate", await RefusedAsync(SamlSettingsFor.Settings("acme", SamlSettingsFor.IdentityProvider() with { Certificates = [] })));
        Assert.Contains("cannot be read", await RefusedAsync(SamlSettingsFor.Settings("acme",
            SamlSettingsFor.IdentityProvider() with { Certificates = [new SamlIdpCertificate("not a certificate", "x", default, default)] })));
        Assert.Contains("must be an absolute https URL", await RefusedAsync(SamlSettingsFor.Settings("acme", SamlSettingsFor.IdentityProvider(ssoUrl: "http://idp.example/sso"))));
        Assert.Contains("must be an absolute https URL", await RefusedAsync(SamlSettingsFor.Settings("acme", SamlSettingsFor.IdentityProvider(ssoUrl: "/sso"))));
        Assert.Contains("entity id must not be empty", await RefusedAsync(SamlSettingsFor.Settings("acme", SamlSettingsFor.IdentityProvider(entityId: " "))));
        Assert.Contains("not 'mail'", await RefusedAsync(SamlSettingsFor.Settings("acme", options: SamlOptions.Default with { MatchBy = "mail" })));
        var mismatched = await RefusedAsync(new SamlSettings(sp with { PrivateKeyPem = otherPair.PrivateKeyPem() }, SamlSettingsFor.IdentityProvider(), SamlOptions.Default));
        Assert.Contains("not a matching PEM pair", mismatched);
        Assert.DoesNotContain("PRIVATE KEY", mismatched);
        Assert.Null(await directory.SamlConfigurations.GetAsync(acme));

        // The same certificate twice is one certificate; http is fine on the admin's own machine.
        var local = await directory.SamlConfigurations.SaveAsync(acme, new SamlSettings(
            new SamlServiceProvider("http://localhost:5080/saml/acme", "http://localhost:5080/saml/acme/acs", "http://127.0.0.1:5080/saml/acme/login",
                sp.CertificatePem, sp.PrivateKeyPem),
            SamlSettingsFor.IdentityProvider(ssoUrl: "http://localhost:8080/sso", certificates: [SamlSettingsFor.IdpCurrent.Value, SamlSettingsFor.IdpCurrent.Value]),
            SamlOptions.Default));
        Assert.Single(local.After.IdentityProvider.Certificates);
    }

    [Fact]
    public void Certificates_are_read_from_pem_or_bare_base64_and_the_sp_key_is_never_printed()
    {
        var pair = TestCertificates.CreateSelfSigned("idp", new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var fromPem = SamlIdpCertificate.FromPem(pair.CertificatePem());
        Assert.Equal(pair.ThumbprintSha256(), fromPem.ThumbprintSha256);
        Assert.Equal(new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero), fromPem.NotBefore);
        Assert.Equal(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero), fromPem.NotAfter);
        // Metadata carries the DER as base64 in ds:X509Certificate, wrapped over lines.
        var base64 = string.Concat(pair.CertificatePem().Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        Assert.Equal(fromPem, SamlIdpCertificate.FromPem("\n  " + string.Join("\n  ", base64.Chunk(64).Select(c => new string(c))) + "\n"));

        var sp = SamlSettingsFor.ServiceProvider("acme");
        var key = sp.PrivateKeyPem.Split('\n')[1];
        Assert.DoesNotContain(key, sp.ToString());
        Assert.DoesNotContain(key, new SamlSettings(sp, SamlSettingsFor.IdentityProvider(), SamlOptions.Default).ToString());
        Assert.Contains(sp.AcsUrl, sp.ToString());
    }

    static Task<long> CertificateRowsAsync(RosterDirectory directory, string enterpriseId) =>
        directory.Database.ReadAsync(c => c.Command("SELECT count(*) FROM saml_idp_certificates WHERE enterprise_id = @e").With("@e", enterpriseId).ScalarLongAsync());
}
