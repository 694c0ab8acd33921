using System.Net;
using Roster.Directory.Roles;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>Who reaches an enterprise's console: its owner accounts, and its members signed in by SAML
/// whose role (computed now from their IdP groups) is owner or admin. Everyone else signed in gets a
/// 403 that reads the same whether the enterprise exists or not; nobody signed in goes to sign-in.</summary>
public sealed class ConsoleAccessTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_member_in_the_admin_group_reaches_the_overview_through_SAML_and_a_plain_member_gets_403(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        await acme.ProvisionAsync("bob@acme.example");
        (await acme.Scim!.PostAsync("Groups",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Roster Admins","members":[{"value":"{{annId}}"}]}""")).AssertOk(201);
        await host.Directory.Roles.MapAsync(acme.Enterprise, "Roster Admins", EnterpriseRole.Admin);

        // The sign-in page's single sign-on link goes to SAML, asked to come back to the console.
        using (var anonymous = new SamlBrowser(host.BaseAddress))
        {
            using var redirected = await anonymous.GetAsync("/console/acme");
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal("/console/sign-in?returnUrl=%2Fconsole%2Facme", redirected.Headers.Location!.OriginalString);
            using var signInPage = await anonymous.GetAsync(redirected.Headers.Location.OriginalString);
            Assert.Contains("href=\"/saml/acme/login?returnUrl=%2Fconsole%2Facme\"", await signInPage.Content.ReadAsStringAsync());
        }

        using var ann = await SignedInBySamlAsync(acme, "ann@acme.example");
        using (var overview = await ann.GetAsync("/console/acme"))
        {
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
            var html = await overview.Content.ReadAsStringAsync();
            Assert.Contains("<h1>Acme</h1>", html);
            Assert.Contains("ann@acme.example (admin, single sign-on)", html);
        }
        using (var root = await ann.GetAsync("/console"))
            Assert.Equal("/console/acme", root.Headers.Location!.OriginalString);

        using var bob = await SignedInBySamlAsync(acme, "bob@acme.example");
        foreach (var path in new[] { "/console", "/console/acme" })
        {
            using var refused = await bob.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("You don't have access to this page", await refused.Content.ReadAsStringAsync());
        }

        // Unmapping the group takes Ann's access away at her next page: her role is computed each time.
        await host.Directory.Roles.UnmapAsync(acme.Enterprise, "Roster Admins");
        using var afterUnmap = await ann.GetAsync("/console/acme");
        Assert.Equal(HttpStatusCode.Forbidden, afterUnmap.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Another_enterprise_s_console_is_403_and_reads_the_same_as_one_that_does_not_exist(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await host.Directory.Enterprises.CreateAsync("Globex");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        using var globex = await owner.GetAsync("/console/globex");
        using var nowhere = await owner.GetAsync("/console/no-such-enterprise");

        Assert.Equal(HttpStatusCode.Forbidden, globex.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, nowhere.StatusCode);
        // The same page, but for the sign-out form's antiforgery token, which differs on every page.
        Assert.Equal(WithoutAntiforgery(await nowhere.Content.ReadAsStringAsync()), WithoutAntiforgery(await globex.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("Globex", await globex.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_console_response_carries_the_security_headers()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);
        using var anonymous = new SamlBrowser(host.BaseAddress);

        var responses = new List<HttpResponseMessage>
        {
            await owner.GetAsync("/console/acme"),
            await owner.GetAsync("/console/globex"),
            await anonymous.GetAsync("/console/sign-in"),
            await anonymous.GetAsync("/console/acme"),
            await anonymous.GetAsync("/console/setup?token=rsl_unknown"),
            await anonymous.PostFormAsync("/console/sign-in", []),
            await anonymous.GetAsync("/console/assets/console.css"),
            await anonymous.GetAsync("/console/assets/console.js"),
        };

        foreach (var response in responses)
        {
            var headers = response.Headers;
            var where = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} ({(int)response.StatusCode})";
            Assert.True(headers.TryGetValues("Content-Security-Policy", out var csp), where);
            Assert.Equal("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; script-src 'self'; connect-src 'self'", Assert.Single(csp));
            Assert.Equal("nosniff", Assert.Single(headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(headers.GetValues("Referrer-Policy")));
            Assert.Equal("DENY", Assert.Single(headers.GetValues("X-Frame-Options")));
            Assert.True(headers.CacheControl?.NoStore, where);
            response.Dispose();
        }
        using var css = await anonymous.GetAsync("/console/assets/console.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }

    static string WithoutAntiforgery(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "name=\"__antiforgery\" type=\"hidden\" value=\"[^\"]+\"", "");

    internal static async Task<SamlBrowser> SignedInBySamlAsync(SamlTestEnterprise enterprise, string nameId)
    {
        var browser = new SamlBrowser(enterprise.Host.BaseAddress);
        var started = await browser.StartAsync(enterprise.Slug, "?returnUrl=%2Fconsole%2F" + enterprise.Slug);
        using var answered = await browser.PostResponseAsync(enterprise.Slug, enterprise.Respond(started.RequestId, nameId).FormValue, started.RelayState);
        Assert.Equal(HttpStatusCode.SeeOther, answered.StatusCode);
        Assert.Equal("/console/" + enterprise.Slug, answered.Headers.Location!.OriginalString);
        return browser;
    }
}
