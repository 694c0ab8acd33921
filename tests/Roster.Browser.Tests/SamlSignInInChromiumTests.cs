using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Roster.Directory.SignOn;
using Roster.Testing;

namespace Roster.Browser.Tests;

/// <summary>
/// SAML sign-in in a real Chromium: Roster on http://127.0.0.1:PORT sends the browser to a test IdP on
/// another site (https://localhost:PORT), a person presses "Sign in" there, and the IdP's form posts the
/// signed Response to Roster's ACS, cross-site, as Okta's does. What only a browser can tell: that it
/// keeps the correlation cookie (Secure, SameSite=None) on plain http://127.0.0.1 and sends it with the
/// cross-site POST, and keeps and sends the session cookie (Secure, SameSite=Lax) after the redirect.
/// Every step leaves a screenshot in TestResults/screenshots/TEST/ under the test output folder.
/// </summary>
public sealed class SamlSignInInChromiumTests(ChromiumFixture chromium)
{
    const string Ann = "ann@acme.example";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_provisioned_member_signs_in_at_the_IdP_page_and_lands_on_their_session(string kind)
    {
        await using var tab = await chromium.OpenTabAsync(kind, acceptSelfSignedCertificates: true);
        await using var site = await SignInSite.StartAsync(kind);
        var memberId = await site.Acme.ProvisionAsync(Ann);
        site.Idp.SignIn(Ann);

        var (acs, session) = await SignInAsync(tab, site);

        // The IdP's form went to the ACS as a real IdP's does: a cross-site POST from the IdP's page,
        // which carried the correlation cookie (SameSite=None) it needed, and was answered with a 303.
        Assert.Equal("POST", acs.Method);
        var acsHeaders = await acs.AllHeadersAsync();
        Assert.Equal("cross-site", acsHeaders.GetValueOrDefault("sec-fetch-site"));
        Assert.Contains("roster_saml_", acsHeaders.GetValueOrDefault("cookie") ?? "");
        Assert.Equal(303, (await acs.ResponseAsync())!.Status);

        // ... and the browser followed to /session with the session cookie (SameSite=Lax: a top-level GET).
        Assert.Equal(200, session.Status);
        Assert.Equal(site.Url("/session"), tab.Page.Url);
        Assert.Contains("roster_session=", (await session.Request.AllHeadersAsync()).GetValueOrDefault("cookie") ?? "");
        var json = JsonNode.Parse(await session.TextAsync())!;
        Assert.True(json["signedIn"]!.GetValue<bool>());
        Assert.Equal(Ann, json["userName"]!.GetValue<string>());
        Assert.Equal(memberId, json["memberId"]!.GetValue<string>());
        Assert.Equal("acme", json["enterprise"]!.GetValue<string>());
        Assert.Contains(memberId, await tab.TextAsync()); // and the page shows it

        var cookies = await tab.CookiesAsync(site.Url("/"));
        var sessionCookie = Assert.Single(cookies, c => c.Name == "roster_session");
        Assert.True(sessionCookie.Secure);
        Assert.True(sessionCookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, sessionCookie.SameSite);
        Assert.Equal("/", sessionCookie.Path);
        // The correlation cookie was used once and deleted.
        Assert.DoesNotContain(await tab.CookiesAsync(site.Acme.AcsUrl), c => c.Name.StartsWith("roster_saml_", StringComparison.Ordinal));

        var attempt = await site.Acme.LastAttemptAsync();
        Assert.Equal(SignInOutcome.SignedIn, attempt.Outcome);
        Assert.Equal(memberId, attempt.MemberId);
        Assert.Equal(Assert.Single(site.Idp.Requests).Id, attempt.RequestId);
        Assert.False(attempt.IdpInitiated);
        Assert.Contains("Chrome", attempt.UserAgent);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_member_deactivated_over_SCIM_is_signed_out_at_the_next_page_load(string kind)
    {
        await using var tab = await chromium.OpenTabAsync(kind, acceptSelfSignedCertificates: true);
        await using var site = await SignInSite.StartAsync(kind);
        var memberId = await site.Acme.ProvisionAsync(Ann);
        site.Idp.SignIn(Ann);
        var (_, session) = await SignInAsync(tab, site);
        Assert.Equal(200, session.Status);

        // Okta unassigns Ann: a SCIM deactivation.
        (await site.Acme.Scim!.PatchAsync($"Users/{memberId}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();

        var reloaded = await tab.Page.ReloadedAsync();
        await tab.ScreenshotAsync("session-after-deactivation");
        Assert.Equal(401, reloaded!.Status);
        Assert.False(JsonNode.Parse(await reloaded.TextAsync())!["signedIn"]!.GetValue<bool>());
        // Roster told the browser to drop the dead session's cookie, and it did.
        Assert.DoesNotContain(await tab.CookiesAsync(site.Url("/")), c => c.Name == "roster_session");

        // Signing in again, still signed in at the IdP, is refused until the IdP reactivates her.
        await tab.Page.LoadAsync(site.LoginUrl("/session"));
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = $"Sign in as {Ann}" })).ToBeVisibleAsync();
        var refused = await tab.Page.RunAndWaitForResponseAsync(
            () => tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url == site.Acme.AcsUrl);
        await tab.Page.ArrivedAtAsync(site.Acme.AcsUrl);
        await tab.ScreenshotAsync("sign-in-again-refused");
        Assert.Equal(403, refused.Status);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in failed" })).ToBeVisibleAsync();
        Assert.Equal(SignInRefusal.InactiveMember, (await site.Acme.LastAttemptAsync()).Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_refused_sign_in_shows_a_plain_Sign_in_failed_page_with_a_reference_and_no_reason(string kind)
    {
        await using var tab = await chromium.OpenTabAsync(kind, acceptSelfSignedCertificates: true);
        await using var site = await SignInSite.StartAsync(kind);
        await site.Acme.ProvisionAsync(Ann);
        // Zoe is signed in at the IdP, but the IdP never provisioned her to Roster.
        site.Idp.SignIn("zoe@acme.example", "Zoe", "Ng");

        await tab.Page.LoadAsync(site.LoginUrl("/session"));
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in as zoe@acme.example" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("idp-sign-in-page");
        var answered = await tab.Page.RunAndWaitForResponseAsync(
            () => tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url == site.Acme.AcsUrl);
        await tab.Page.ArrivedAtAsync(site.Acme.AcsUrl);
        await tab.ScreenshotAsync("sign-in-failed");

        Assert.Equal(403, answered.Status);
        Assert.Equal(site.Acme.AcsUrl, tab.Page.Url);
        Assert.Equal("Sign-in failed · Roster", await tab.Page.TitleAsync());
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in failed" })).ToBeVisibleAsync();
        var attempt = await site.Acme.LastAttemptAsync();
        Assert.Equal(SignInOutcome.Refused, attempt.Outcome);
        Assert.Equal(SignInRefusal.UnknownMember, attempt.Reason);
        var text = await tab.TextAsync();
        Assert.Contains($"Reference: {attempt.Id}.", text);
        // The reason is for the admin (the sign-in log), not for the screen.
        Assert.DoesNotContain(attempt.Reason!, text);
        Assert.DoesNotContain(attempt.Detail!, text);
        foreach (var word in new[] { "zoe", "SCIM", "provisioned", "member" })
            Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await tab.Page.Locator("script").CountAsync());

        // No session came of it.
        Assert.DoesNotContain(await tab.CookiesAsync(site.Url("/")), c => c.Name == "roster_session");
        var session = await tab.Page.LoadAsync(site.Url("/session"));
        Assert.Equal(401, session!.Status);
    }

    /// <summary>
    /// Opens Roster's login (returning to /session), checks the IdP's page and the correlation cookie
    /// the browser now holds, presses "Sign in", and waits for /session. Returns the ACS request (the
    /// IdP form's POST) and /session's response. Two screenshots: the IdP page and where it landed.
    /// </summary>
    static async Task<(IRequest Acs, IResponse Session)> SignInAsync(BrowserTab tab, SignInSite site)
    {
        var idpPage = await tab.Page.LoadAsync(site.LoginUrl("/session"));
        Assert.Equal(200, idpPage!.Status);
        Assert.StartsWith(site.Idp.SsoUrl + "?SAMLRequest=", tab.Page.Url);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = $"Sign in as {site.Idp.Person!.Email}" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("idp-sign-in-page");

        var request = Assert.Single(site.Idp.Requests);
        Assert.True(request.Signed);
        Assert.Equal(site.Acme.EntityId, request.Issuer);

        // Chromium kept Roster's correlation cookie although Roster is plain http: 127.0.0.1 is a
        // secure context to a browser, so Secure (which SameSite=None requires) does not stop it.
        var correlation = Assert.Single(await tab.CookiesAsync(site.Acme.AcsUrl), c => c.Name.StartsWith("roster_saml_", StringComparison.Ordinal));
        Assert.Equal("roster_saml_" + request.RelayState, correlation.Name);
        Assert.Equal(request.Id, correlation.Value);
        Assert.Equal(site.Roster.Host, correlation.Domain);
        Assert.Equal($"/saml/{site.Acme.Slug}/acs", correlation.Path);
        Assert.True(correlation.Secure);
        Assert.True(correlation.HttpOnly);
        Assert.Equal(SameSiteAttribute.None, correlation.SameSite);

        var session = await tab.Page.RunAndWaitForResponseAsync(
            () => tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url == site.Url("/session"));
        await tab.Page.ArrivedAtAsync(site.Url("/session"));
        await tab.ScreenshotAsync("session");
        var acs = session.Request.RedirectedFrom;
        Assert.NotNull(acs);
        Assert.Equal(site.Acme.AcsUrl, acs.Url);
        return (acs, session);
    }
}
