using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.Audit;
using Roster.Directory.Storage;
using Roster.Saml;
using Roster.Testing;
using Roster.Testing.Saml;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>/console/{slug}/scim (Provisioning): SCIM is turned on only once SAML sign-in works, with
/// the rule's own message; a token is shown once, in the response to its creation, works against the
/// SCIM endpoint and is stored as a hash; a revoked token gets 401; plain members get 403 and a form
/// without its antiforgery token changes nothing.</summary>
public sealed partial class ScimPageTests
{
    const string Page = "/console/acme/scim";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Scim_is_turned_on_only_once_SAML_is_configured_and_tested_and_the_refusal_says_what_to_do(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        var before = await PageAsync(owner);
        Assert.Equal("Off", ConsoleBrowser.TextOf(before, "scim-status"));
        Assert.Equal("Not configured", ConsoleBrowser.TextOf(before, "saml-status"));

        using (var notConfigured = await owner.SubmitAsync(Page, [], Page + "?handler=enable"))
        {
            Assert.Equal(HttpStatusCode.Conflict, notConfigured.StatusCode);
            var html = await notConfigured.Content.ReadAsStringAsync();
            Assert.StartsWith("SCIM can be turned on once SAML sign-in works: configure SAML with `roster saml configure --enterprise acme",
                ConsoleBrowser.TextOf(html, "enable-error"));
            Assert.Contains("href=\"/console/acme/saml\" id=\"saml-link\"", html);
        }

        var idp = TestIdentityProvider.Okta();
        var configured = (await SamlSetup.ConfigureAsync(host.Directory, acme, new SamlSetupRequest
        {
            IdpEntityId = idp.EntityId, IdpSsoUrl = SamlTestEnterprise.IdpSsoUrl, IdpCertificatesPem = [idp.CertificatePem],
            Options = Roster.Directory.SignOn.SamlOptions.Default, PublicBaseUrl = host.BaseAddress.ToString(),
        })).After;
        using (var untested = await owner.SubmitAsync(Page, [], Page + "?handler=enable"))
        {
            Assert.Equal(HttpStatusCode.Conflict, untested.StatusCode);
            var message = ConsoleBrowser.TextOf(await untested.Content.ReadAsStringAsync(), "enable-error");
            Assert.Contains("no test sign-in has succeeded with its current IdP settings", message);
            Assert.Contains($"Sign in once at {configured.ServiceProvider.TestSignInUrl}", message);
        }
        Assert.False((await host.Directory.ScimActivation.StatusAsync(acme)).ScimEnabled);
        Assert.DoesNotContain(await ConsoleBrowser.AuditAfterSetUpAsync(host, acme, 10), e => e.Action == AdminAction.ScimEnabled);

        Assert.True(await host.Directory.SamlConfigurations.MarkVerifiedAsync(acme, configured, "ann@acme.example"));
        using (var enabled = await owner.SubmitAsync(Page, [], Page + "?handler=enable"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, enabled.StatusCode);
            Assert.Equal(Page + "?done=enabled", enabled.Headers.Location!.OriginalString);
        }
        Assert.True((await host.Directory.ScimActivation.StatusAsync(acme)).ScimEnabled);
        var on = await PageAsync(owner, Page + "?done=enabled");
        Assert.Equal("On", ConsoleBrowser.TextOf(on, "scim-status"));
        Assert.Contains("Turn SCIM provisioning off", on);

        using (var disabled = await owner.SubmitAsync(Page, [], Page + "?handler=disable"))
            Assert.Equal(Page + "?done=disabled", disabled.Headers.Location!.OriginalString);
        Assert.False((await host.Directory.ScimActivation.StatusAsync(acme)).ScimEnabled);

        Assert.Equal(
            [(AdminAction.ScimDisabled, "owner account owner@acme.example"), (AdminAction.ScimEnabled, "owner account owner@acme.example")],
            (await ConsoleBrowser.AuditAfterSetUpAsync(host, acme, 10)).Select(e => (e.Action, e.Actor)).Take(2));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_created_token_is_shown_once_works_against_the_SCIM_endpoint_and_is_stored_only_as_a_hash(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        var page = await PageAsync(owner);
        Assert.Contains($"id=\"scim-base-url\" value=\"{host.BaseAddress.ToString().TrimEnd('/')}/scim/v2/acme\" readonly", page);
        Assert.Contains("data-copy=\"scim-base-url\"", page);

        using var created = await owner.SubmitAsync(Page, [new("name", "Okta production"), new("expiresInDays", "30")], Page + "?handler=create");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Null(created.Headers.Location);
        Assert.True(created.Headers.CacheControl!.NoStore);
        var html = await created.Content.ReadAsStringAsync();
        var secret = NewTokenField().Match(html).Groups[1].Value;
        Assert.StartsWith("rst_", secret);
        Assert.Single(Regex.Matches(html, Regex.Escape(secret)));
        Assert.Contains("data-copy=\"new-token\"", html);
        Assert.Contains("it is not shown again", html);

        var token = Assert.Single(await host.Directory.Tokens.ListAsync(acme.Enterprise), t => t.Name == "Okta production");
        Assert.Equal(30, Math.Round((token.ExpiresAt!.Value - token.CreatedAt).TotalDays));
        using (var client = host.Client(acme.Enterprise, $"Bearer {secret}"))
        using (var users = await client.GetAsync("Users"))
            Assert.Equal(HttpStatusCode.OK, users.StatusCode);

        var reloaded = await PageAsync(owner);
        Assert.DoesNotContain(secret, reloaded);
        Assert.DoesNotContain("id=\"new-token\"", reloaded);
        var row = Row(reloaded, token.Id);
        Assert.Contains("<th scope=\"row\">Okta production</th>", row);
        Assert.Contains(OverviewModelTime(token.ExpiresAt!.Value), row);
        Assert.Contains("Active", row);
        Assert.DoesNotContain("Never", row); // used just now, and it expires

        var stored = await new RosterDatabase(host.Options).ReadAsync(c =>
            c.Command("SELECT id || '|' || name || '|' || token_hash || '|' || hint FROM scim_tokens").ListAsync(r => r.GetString(0)));
        Assert.DoesNotContain(stored, text => text.Contains(secret, StringComparison.Ordinal));
        var audit = await ConsoleBrowser.AuditAfterSetUpAsync(host, acme.Enterprise, 10);
        var entry = Assert.Single(audit);
        Assert.Equal((AdminAction.ScimTokenCreated, "owner account owner@acme.example"), (entry.Action, entry.Actor));
        Assert.DoesNotContain(secret, entry.Summary);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_revoked_token_is_refused_with_401_and_listed_as_revoked(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        using var created = await owner.SubmitAsync(Page, [new("name", "Entra")], Page + "?handler=create");
        var secret = NewTokenField().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value;
        var token = Assert.Single(await host.Directory.Tokens.ListAsync(acme.Enterprise), t => t.Name == "Entra");
        Assert.Contains("Never", Row(await PageAsync(owner), token.Id));

        using (var revoked = await owner.SubmitAsync(Page, [new("id", token.Id)], Page + "?handler=revoke"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, revoked.StatusCode);
            Assert.Equal(Page + "?done=revoked", revoked.Headers.Location!.OriginalString);
        }
        using (var client = host.Client(acme.Enterprise, $"Bearer {secret}"))
        using (var users = await client.GetAsync("Users"))
            Assert.Equal(HttpStatusCode.Unauthorized, users.StatusCode);
        // The other token of the enterprise still works: revoking is of one token.
        (await acme.Scim!.GetAsync("Users")).AssertOk();

        var row = Row(await PageAsync(owner), token.Id);
        Assert.Contains("Revoked", row);
        Assert.DoesNotContain(">Revoke</button>", row);
        Assert.Equal(AdminAction.ScimTokenRevoked, (await ConsoleBrowser.AuditAfterSetUpAsync(host, acme.Enterprise, 1))[0].Action);

        using var unknown = await owner.SubmitAsync(Page, [new("id", "no-such-token")], Page + "?handler=revoke");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("has no token 'no-such-token'", ConsoleBrowser.TextOf(await unknown.Content.ReadAsStringAsync(), "token-error"));
    }

    [Fact]
    public async Task A_bad_expiry_is_refused_beside_the_form_and_no_token_is_made()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        foreach (var days in new[] { "0", "abc", "3651", "-1" })
        {
            using var refused = await owner.SubmitAsync(Page, [new("name", "Okta"), new("expiresInDays", days)], Page + "?handler=create");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal("The expiry is a whole number of days from 1 to 3650, or empty for a token that does not expire.", ConsoleBrowser.TextOf(html, "token-error"));
            Assert.DoesNotContain("id=\"new-token\"", html);
        }
        Assert.Single(await host.Directory.Tokens.ListAsync(acme.Enterprise)); // the test enterprise's own
    }

    [Fact]
    public async Task A_plain_member_gets_403_and_a_post_without_the_antiforgery_token_changes_nothing()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("bob@acme.example");
        await host.Directory.Tokens.CreateAsync(acme.Enterprise, "Provisioner", null);
        using var bob = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");

        using (var refused = await bob.GetAsync(Page))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("You don't have access to this page", html);
            Assert.DoesNotContain("scim-base-url", html);
        }
        using (var refusedPost = await bob.SubmitAsync(Page, [new("name", "bob's")], Page + "?handler=create"))
            Assert.Equal(HttpStatusCode.Forbidden, refusedPost.StatusCode);
        using (var refusedDisable = await bob.SubmitAsync(Page, [], Page + "?handler=disable"))
            Assert.Equal(HttpStatusCode.Forbidden, refusedDisable.StatusCode);

        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        using (var withoutToken = await owner.PostFormAsync(Page + "?handler=create", [new("name", "forged")]))
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        using (var withoutToken = await owner.PostFormAsync(Page + "?handler=disable", []))
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        var tokens = await host.Directory.Tokens.ListAsync(acme.Enterprise);
        using (var withoutToken = await owner.PostFormAsync(Page + "?handler=revoke", [new("id", tokens[0].Id)]))
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        Assert.Equal(["Okta", "Provisioner"], (await host.Directory.Tokens.ListAsync(acme.Enterprise)).Where(t => t.RevokedAt is null).Select(t => t.Name));
        Assert.True((await host.Directory.ScimActivation.StatusAsync(acme.Enterprise)).ScimEnabled);
        Assert.Empty(await ConsoleBrowser.AuditAfterSetUpAsync(host, acme.Enterprise, 10));
    }

    static string OverviewModelTime(DateTimeOffset time) => Roster.AdminConsole.Pages.OverviewModel.Time(time);

    static string Row(string html, string tokenId)
    {
        var match = Regex.Match(html, $"<tr id=\"token-{Regex.Escape(tokenId)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No row of token {tokenId} in: {html}");
        return match.Groups[1].Value;
    }

    static async Task<string> PageAsync(SamlBrowser browser, string path = Page)
    {
        using var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("id=\"new-token\" value=\"([^\"]+)\"")]
    private static partial Regex NewTokenField();
}
