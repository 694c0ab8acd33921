using System.Net.Http.Headers;
using System.Net;
using System.Text.RegularExpressions;
using Roster.Testing.Saml;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>/console/{slug}/saml: an owner configures the IdP from its metadata (pasted or uploaded)
/// through the same set-up as the command line; refused metadata saves nothing; the form needs its
/// antiforgery token; plain members get 403; the page may load script from Roster only.</summary>
public sealed class SamlPageTests
{
    const string OktaEntityId = "http://www.okta.com/exkb2lq7x9RzT4wPj697";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_owner_pastes_the_Okta_metadata_and_sees_the_IdP_its_certificate_and_that_no_test_sign_in_succeeded(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);
        var baseUrl = host.BaseAddress.ToString().TrimEnd('/');

        var before = await PageAsync(owner);
        Assert.Contains($"value=\"{baseUrl}/saml/acme\"", before);
        Assert.Contains($"value=\"{baseUrl}/saml/acme/acs\"", before);
        Assert.Contains("fixed once SAML is configured", before);
        Assert.DoesNotContain("Download SP metadata", before);

        using var saved = await owner.SubmitAsync("/console/acme/saml",
            [new("MetadataXml", await File.ReadAllTextAsync(Sample("okta-idp-metadata.xml"))), new("MatchBy", "email"), new("AllowIdpInitiated", "true")]);
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal("/console/acme/saml?saved=true", saved.Headers.Location!.OriginalString);

        var configuration = await host.Directory.SamlConfigurations.GetAsync(acme);
        Assert.NotNull(configuration);
        Assert.Equal(OktaEntityId, configuration.IdentityProvider.EntityId);
        Assert.Equal($"{baseUrl}/saml/acme", configuration.ServiceProvider.EntityId);
        Assert.Equal("email", configuration.Options.MatchBy);
        Assert.True(configuration.Options.AllowIdpInitiated);
        Assert.False(configuration.Options.JitProvisioning);

        var after = await PageAsync(owner, "/console/acme/saml?saved=true");
        Assert.Equal(OktaEntityId, ConsoleBrowser.TextOf(after, "idp-entity-id"));
        Assert.Equal("Not tested", ConsoleBrowser.TextOf(after, "saml-verified"));
        Assert.Contains("No test sign-in has succeeded with this IdP yet", after);
        Assert.Contains("IdP-initiated sign-in is on", after);
        Assert.Matches(new Regex("class=\"fingerprint\">([0-9A-F]{2}:){31}[0-9A-F]{2}<"), after);
        Assert.Contains($"href=\"{configuration.ServiceProvider.TestSignInUrl}\" id=\"test-sign-in\"", after);
        Assert.Contains("href=\"/saml/acme/metadata?download=1\"", after);
        Assert.Contains("<option value=\"email\" selected=\"selected\">", after);
    }

    [Fact]
    public async Task An_uploaded_metadata_file_configures_the_IdP()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);
        var token = await AntiforgeryTokenAsync(owner);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Sample("okta-idp-metadata.xml")));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        form.Add(file, "MetadataFile", "okta-idp-metadata.xml");
        form.Add(new StringContent("userName"), "MatchBy");
        form.Add(new StringContent(token), "__antiforgery");
        using var saved = await owner.PostAsync("/console/acme/saml", form);

        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal(OktaEntityId, (await host.Directory.SamlConfigurations.GetAsync(acme))!.IdentityProvider.EntityId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Metadata_that_is_not_metadata_is_refused_beside_the_form_and_nothing_is_saved(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        using var refused = await owner.SubmitAsync("/console/acme/saml", [new("MetadataXml", "<html>not metadata</html>"), new("MatchBy", "userName")]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.StartsWith("The IdP metadata cannot be used", ConsoleBrowser.TextOf(html, "configure-error"));
        Assert.Null(await host.Directory.SamlConfigurations.GetAsync(acme));

        using var twoWays = await owner.SubmitAsync("/console/acme/saml",
            [new("MetadataXml", await File.ReadAllTextAsync(Sample("okta-idp-metadata.xml"))), new("MetadataUrl", "https://acme.okta.example/metadata")]);
        Assert.Equal(HttpStatusCode.BadRequest, twoWays.StatusCode);
        Assert.Contains("one way only", ConsoleBrowser.TextOf(await twoWays.Content.ReadAsStringAsync(), "configure-error"));
        Assert.Null(await host.Directory.SamlConfigurations.GetAsync(acme));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_IdP_given_by_hand_is_saved_and_an_incomplete_one_is_refused_with_what_is_missing(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);
        var idp = TestIdentityProvider.Okta("http://www.okta.com/exkbyhand");

        using var incomplete = await owner.SubmitAsync("/console/acme/saml",
            [new("IdpEntityId", idp.EntityId), new("IdpSsoUrl", "https://acme.okta.example/app/roster/sso/saml"), new("MatchBy", "userName")]);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Equal("By hand, give all three: the IdP's entity ID, its single sign-on URL and its signing certificate.",
            ConsoleBrowser.TextOf(await incomplete.Content.ReadAsStringAsync(), "configure-error"));
        Assert.Null(await host.Directory.SamlConfigurations.GetAsync(acme));

        using var saved = await owner.SubmitAsync("/console/acme/saml",
        [
            new("IdpEntityId", idp.EntityId), new("IdpSsoUrl", "https://acme.okta.example/app/roster/sso/saml"),
            new("IdpCertificatesPem", idp.CertificatePem), new("MatchBy", "userName"),
        ]);
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        var configuration = (await host.Directory.SamlConfigurations.GetAsync(acme))!;
        Assert.Equal(idp.EntityId, configuration.IdentityProvider.EntityId);
        Assert.Equal("https://acme.okta.example/app/roster/sso/saml", configuration.IdentityProvider.SsoUrl);
        Assert.Equal(idp.PublicCertificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            Assert.Single(configuration.IdentityProvider.Certificates).ThumbprintSha256, ignoreCase: true);
        Assert.Equal("http://www.okta.com/exkbyhand", ConsoleBrowser.TextOf(await PageAsync(owner), "idp-entity-id"));
    }

    [Fact]
    public async Task A_metadata_URL_must_be_https_and_may_not_reach_into_Roster_s_own_network()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        using var plain = await owner.SubmitAsync("/console/acme/saml", [new("MetadataUrl", "http://acme.okta.example/metadata"), new("MatchBy", "userName")]);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("The metadata URL must be an https URL, not 'http://acme.okta.example/metadata'.",
            ConsoleBrowser.TextOf(await plain.Content.ReadAsStringAsync(), "configure-error"));

        // Roster itself listens on loopback: an admin's URL must not make the server fetch from inside.
        var inside = $"https://127.0.0.1:{host.BaseAddress.Port}/saml/acme/metadata";
        using var refused = await owner.SubmitAsync("/console/acme/saml", [new("MetadataUrl", inside), new("MatchBy", "userName")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = ConsoleBrowser.TextOf(await refused.Content.ReadAsStringAsync(), "configure-error");
        Assert.StartsWith($"Could not fetch IdP metadata from {inside}: 127.0.0.1 is ", error);
        Assert.Contains("loopback", error);
        Assert.Null(await host.Directory.SamlConfigurations.GetAsync(acme));
    }

    [Fact]
    public async Task The_SP_values_are_made_from_the_public_URL_Roster_was_started_with_not_from_the_address_a_request_came_to()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite, publicUrl: "https://roster.acme.example/");
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        var before = await PageAsync(owner);
        Assert.Contains("value=\"https://roster.acme.example/saml/acme\"", before);
        Assert.Contains("value=\"https://roster.acme.example/saml/acme/acs\"", before);
        Assert.Contains("These are made from ROSTER_PUBLIC_URL", before);
        Assert.DoesNotContain(host.BaseAddress.Authority, before);

        using var saved = await owner.SubmitAsync("/console/acme/saml",
            [new("MetadataXml", await File.ReadAllTextAsync(Sample("okta-idp-metadata.xml"))), new("MatchBy", "userName")]);
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        var sp = (await host.Directory.SamlConfigurations.GetAsync(acme))!.ServiceProvider;
        Assert.Equal("https://roster.acme.example/saml/acme", sp.EntityId);
        Assert.Equal("https://roster.acme.example/saml/acme/acs", sp.AcsUrl);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        using var refused = await owner.PostFormAsync("/console/acme/saml", [new("MetadataXml", await File.ReadAllTextAsync(Sample("okta-idp-metadata.xml")))]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(await host.Directory.SamlConfigurations.GetAsync(acme));
    }

    [Fact]
    public async Task A_plain_member_signed_in_by_SAML_gets_403()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("bob@acme.example");
        using var bob = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");

        using var refused = await bob.GetAsync("/console/acme/saml");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("You don't have access to this page", html);
        Assert.DoesNotContain("Single sign-on URL", html);
    }

    [Fact]
    public async Task The_page_may_run_script_from_Roster_only_and_the_sign_in_pages_none()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await EnterpriseWithoutSamlAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        using var page = await owner.GetAsync("/console/acme/saml");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; script-src 'self'; connect-src 'self'",
            page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/console/assets/console.js\" defer></script>", html);
        Assert.DoesNotMatch(new Regex("<script>|<script [^>]*>[^<]+</script>| on[a-z]+=\"", RegexOptions.IgnoreCase), html);

        using var script = await owner.GetAsync("/console/assets/console.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("data-copy", await script.Content.ReadAsStringAsync());

        using var signInPage = await owner.GetAsync("/saml/acme/login");
        Assert.Equal(Roster.Saml.SecurityHeaders.ContentSecurityPolicy, signInPage.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("script-src", Roster.Saml.SecurityHeaders.ContentSecurityPolicy);
    }

    static async Task<Roster.Directory.Enterprises.Enterprise> EnterpriseWithoutSamlAsync(RosterTestHost host)
    {
        await host.CreateEnterpriseAsync("Acme");
        return await host.Directory.Enterprises.GetAsync("acme");
    }

    static async Task<string> PageAsync(SamlBrowser browser, string path = "/console/acme/saml")
    {
        using var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    static async Task<string> AntiforgeryTokenAsync(SamlBrowser browser)
    {
        var html = await PageAsync(browser);
        var match = Regex.Match(html, "name=\"__antiforgery\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(match.Success);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    static string Sample(string name) => SamlSamples.PathOf(name);
}
