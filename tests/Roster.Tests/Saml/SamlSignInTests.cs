using System.Net;
using System.Text.Json.Nodes;
using System.Xml;
using Roster.Directory.Identity;
using Roster.Directory.SignOn;
using Roster.Testing;

namespace Roster.Tests.Saml;

/// <summary>
/// Sign-in through an enterprise's IdP over real HTTP: Roster's AuthnRequest, the IdP's signed
/// Response posted to the ACS, the session that follows, and the refusals, each with its reason in
/// the sign-in log and none of it on the person's screen.
/// </summary>
public sealed class SamlSignInTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_Okta_sign_in_started_at_Roster_opens_a_session_for_a_provisioned_member(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var memberId = await acme.ProvisionAsync("ann@acme.example");
        using var browser = new SamlBrowser(host.BaseAddress);

        var started = await browser.StartAsync(acme.Slug, "?returnUrl=%2Fprojects%2F42");

        // The AuthnRequest, as Okta receives it: to its SSO URL, naming our ACS, signed with our key.
        Assert.StartsWith(SamlTestEnterprise.IdpSsoUrl + "?", started.IdpLocation.AbsoluteUri);
        var request = new XmlDocument();
        request.LoadXml(started.Message.Xml);
        Assert.Equal(acme.AcsUrl, request.DocumentElement!.GetAttribute("AssertionConsumerServiceURL"));
        Assert.Equal(SamlTestEnterprise.IdpSsoUrl, request.DocumentElement.GetAttribute("Destination"));
        Assert.Equal(acme.EntityId, request.DocumentElement["Issuer", "urn:oasis:names:tc:SAML:2.0:assertion"]!.InnerText);
        using (var spCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(acme.Configuration.ServiceProvider.CertificatePem))
            Assert.True(started.Message.VerifySignature(spCertificate));
        // RelayState is an opaque key, not the return URL, and the request id went to this browser only.
        Assert.DoesNotContain("projects", started.RelayState);
        var correlation = Assert.Single(browser.SetCookies, c => c.StartsWith("roster_saml_", StringComparison.Ordinal));
        Assert.Contains($"path=/saml/{acme.Slug}/acs", correlation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", correlation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", correlation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=none", correlation, StringComparison.OrdinalIgnoreCase);

        using var answered = await browser.PostResponseAsync(acme.Slug, acme.Respond(started.RequestId, "ann@acme.example").FormValue, started.RelayState);

        Assert.Equal(HttpStatusCode.SeeOther, answered.StatusCode);
        Assert.Equal("/projects/42", answered.Headers.Location!.OriginalString);
        var session = Assert.Single(browser.SetCookies, c => c.StartsWith("roster_session=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        using var me = await browser.GetAsync("/session");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var json = JsonNode.Parse(await me.Content.ReadAsStringAsync())!;
        Assert.Equal("ann@acme.example", json["userName"]!.GetValue<string>());
        Assert.Equal(memberId, json["memberId"]!.GetValue<string>());

        var attempt = await acme.LastAttemptAsync();
        Assert.Equal(SignInOutcome.SignedIn, attempt.Outcome);
        Assert.Equal(memberId, attempt.MemberId);
        Assert.Equal(started.RequestId, attempt.RequestId);
        Assert.False(attempt.IdpInitiated);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_member_deactivated_or_deleted_over_SCIM_loses_every_session_at_the_next_request(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        var bobId = await acme.ProvisionAsync("bob@acme.example");
        using var annLaptop = await SignedInAsync(acme, "ann@acme.example");
        using var annPhone = await SignedInAsync(acme, "ann@acme.example");
        using var bob = await SignedInAsync(acme, "bob@acme.example");

        (await acme.Scim!.PatchAsync($"Users/{annId}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();
        Assert.Equal(HttpStatusCode.Unauthorized, (await annLaptop.GetAsync("/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await annPhone.GetAsync("/session")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/session")).StatusCode);

        Assert.Equal(204, (await acme.Scim.DeleteAsync($"Users/{bobId}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/session")).StatusCode);

        // And a deactivated member cannot sign in again until the IdP reactivates them.
        using var again = new SamlBrowser(host.BaseAddress);
        var started = await again.StartAsync(acme.Slug);
        using var refused = await again.PostResponseAsync(acme.Slug, acme.Respond(started.RequestId, "ann@acme.example").FormValue, started.RelayState);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(SignInRefusal.InactiveMember, (await acme.LastAttemptAsync()).Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_test_sign_in_verifies_SAML_and_only_then_SCIM_can_be_turned_on(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host, scimEnabled: false);
        var refusal = await Assert.ThrowsAsync<Roster.Directory.RosterException>(() => host.Directory.ScimActivation.EnableAsync(acme.Enterprise));
        Assert.Contains("test=1", refusal.Message);

        using var admin = new SamlBrowser(host.BaseAddress);
        var started = await admin.StartAsync(acme.Slug, "?test=1");
        // The admin testing need not be a member: nobody is, before SCIM provisions them.
        using var tested = await admin.PostResponseAsync(acme.Slug, acme.Respond(started.RequestId, "it.admin@acme.example").FormValue, started.RelayState);

        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        var page = await tested.Content.ReadAsStringAsync();
        Assert.Contains("SAML sign-in works", page);
        Assert.Contains("it.admin@acme.example", page);
        Assert.Contains("roster scim enable --enterprise acme", page);
        Assert.DoesNotContain(admin.SetCookies, c => c.StartsWith("roster_session=", StringComparison.Ordinal));
        Assert.Equal(SignInOutcome.Tested, (await acme.LastAttemptAsync()).Outcome);

        var enabled = await host.Directory.ScimActivation.EnableAsync(acme.Enterprise);
        Assert.True(enabled.ScimEnabled);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_response_posted_twice_is_refused_the_second_time(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        using var browser = new SamlBrowser(host.BaseAddress);
        var started = await browser.StartAsync(acme.Slug);
        var response = acme.Respond(started.RequestId, "ann@acme.example").FormValue;
        var correlationCookie = browser.CookieNames.Single(n => n.StartsWith("roster_saml_", StringComparison.Ordinal));
        var correlationValue = browser.Cookie(correlationCookie)!;
        using (var first = await browser.PostResponseAsync(acme.Slug, response, started.RelayState))
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);

        // Posted again, even with the correlation cookie put back as it was.
        using var replayer = new SamlBrowser(host.BaseAddress);
        replayer.SetCookie(correlationCookie, correlationValue);
        using var second = await replayer.PostResponseAsync(acme.Slug, response, started.RelayState);

        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Null(replayer.Cookie("roster_session"));
        Assert.Equal("request-used", (await acme.LastAttemptAsync()).Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_IdP_initiated_response_is_used_once_and_returns_only_to_a_path_of_this_site(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host, options: new SamlOptions(AllowIdpInitiated: true));
        await acme.ProvisionAsync("ann@acme.example");

        using var tile = new SamlBrowser(host.BaseAddress);
        var response = acme.Respond(null, "ann@acme.example").FormValue;
        using (var offSite = await tile.PostResponseAsync(acme.Slug, response, "https://evil.example/phish"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, offSite.StatusCode);
            Assert.Equal("/", offSite.Headers.Location!.OriginalString);
        }
        Assert.True((await acme.LastAttemptAsync()).IdpInitiated);

        using var replayer = new SamlBrowser(host.BaseAddress);
        using (var replayed = await replayer.PostResponseAsync(acme.Slug, response, null))
            Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Equal("replayed", (await acme.LastAttemptAsync()).Reason);

        using var local = new SamlBrowser(host.BaseAddress);
        using var toPath = await local.PostResponseAsync(acme.Slug, acme.Respond(null, "ann@acme.example").FormValue, "/projects");
        Assert.Equal("/projects", toPath.Headers.Location!.OriginalString);
        foreach (var hostile in new[] { "//evil.example", "/\\evil.example" })
        {
            using var browser = new SamlBrowser(host.BaseAddress);
            using var answered = await browser.PostResponseAsync(acme.Slug, acme.Respond(null, "ann@acme.example").FormValue, hostile);
            Assert.Equal("/", answered.Headers.Location!.OriginalString);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Two_Roster_instances_on_one_database_accept_an_assertion_once_between_them(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host, options: new SamlOptions(AllowIdpInitiated: true));
        await acme.ProvisionAsync("ann@acme.example");
        var secondDirectory = await Roster.Directory.RosterDirectory.OpenAsync(host.Options);
        await using var second = await Roster.Hosting.RosterServer.StartAsync(secondDirectory, "http://127.0.0.1:0", quiet: true);
        var response = acme.Respond(null, "ann@acme.example").FormValue;

        using var first = new SamlBrowser(host.BaseAddress);
        using (var accepted = await first.PostResponseAsync(acme.Slug, response, null))
            Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
        using var other = new SamlBrowser(new Uri(second.Addresses[0]));
        using var replayed = await other.PostResponseAsync(acme.Slug, response, null);

        Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Equal("replayed", (await acme.LastAttemptAsync()).Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task With_IdP_initiated_sign_in_off_the_dashboard_tile_restarts_as_an_SP_initiated_sign_in(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        using var tile = new SamlBrowser(host.BaseAddress);

        using var bounced = await tile.PostResponseAsync(acme.Slug, acme.Respond(null, "ann@acme.example").FormValue, null);

        Assert.Equal(HttpStatusCode.Redirect, bounced.StatusCode);
        Assert.Equal($"/saml/{acme.Slug}/login", bounced.Headers.Location!.OriginalString);
        Assert.DoesNotContain(tile.SetCookies, c => c.StartsWith("roster_session=", StringComparison.Ordinal));
        var attempt = await acme.LastAttemptAsync();
        Assert.Equal(SignInOutcome.Refused, attempt.Outcome);
        Assert.Equal("unsolicited-not-allowed", attempt.Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_response_to_a_request_another_browser_started_is_refused(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("mallory@acme.example");
        using var mallory = new SamlBrowser(host.BaseAddress);
        var started = await mallory.StartAsync(acme.Slug);
        var response = acme.Respond(started.RequestId, "mallory@acme.example").FormValue;

        // Login CSRF: Mallory's own valid response, posted from the victim's browser.
        using var victim = new SamlBrowser(host.BaseAddress);
        using var refused = await victim.PostResponseAsync(acme.Slug, response, started.RelayState);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("in-response-to-mismatch", (await acme.LastAttemptAsync()).Reason);
    }

    [Fact]
    public async Task The_person_sees_a_plain_message_and_the_admin_sees_the_precise_reason()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        using var browser = new SamlBrowser(host.BaseAddress);
        var started = await browser.StartAsync(acme.Slug);

        using var refused = await browser.PostResponseAsync(acme.Slug,
            acme.Respond(started.RequestId, "ann@acme.example", o => o with { Audience = "https://another-app.example/saml" }).FormValue, started.RelayState);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Sign-in failed", page);
        Assert.DoesNotContain("udience", page);
        Assert.DoesNotContain("another-app", page);
        Assert.Equal("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            refused.Headers.GetValues("Content-Security-Policy").Single());
        var attempt = await acme.LastAttemptAsync();
        Assert.Contains($"Reference: {attempt.Id}.", page);
        Assert.Equal("audience-mismatch", attempt.Reason);
        Assert.Contains("another-app.example", attempt.Detail);

        var log = await CliRunner.RunAsync(host.StoreArguments, "saml", "log", "--enterprise", acme.Slug, "--refused", "--json");
        Assert.Equal(0, log.ExitCode);
        Assert.Equal("audience-mismatch", log.Json[0]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Without_SCIM_only_known_members_sign_in_unless_just_in_time_creation_is_on(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var strict = await SamlTestEnterprise.CreateAsync(host, "Initech", scimEnabled: false);
        using (var browser = new SamlBrowser(host.BaseAddress))
        {
            var started = await browser.StartAsync(strict.Slug);
            using var refused = await browser.PostResponseAsync(strict.Slug, strict.Respond(started.RequestId, "new.hire@initech.example").FormValue, started.RelayState);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(SignInRefusal.UnknownMember, (await strict.LastAttemptAsync()).Reason);
        }

        var jit = await SamlTestEnterprise.CreateAsync(host, "Globex", scimEnabled: false,
            options: new SamlOptions(JitProvisioning: true));
        using (var browser = new SamlBrowser(host.BaseAddress))
        {
            var started = await browser.StartAsync(jit.Slug);
            using var signedIn = await browser.PostResponseAsync(jit.Slug, jit.Respond(started.RequestId, "new.hire@globex.example").FormValue, started.RelayState);
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/session")).StatusCode);
        }
        var lookup = await host.Directory.Members.FindForSignInAsync(jit.Enterprise, "new.hire@globex.example", LinkKey.UserName);
        Assert.Equal(Roster.Directory.Members.MemberDirectory.SourceSamlJit, lookup.Member!.Source);
        Assert.Equal("new.hire@globex.example", lookup.Member.Email);
    }

    [Fact]
    public async Task With_SCIM_on_a_member_SCIM_did_not_provision_is_refused()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var browser = new SamlBrowser(host.BaseAddress);
        var started = await browser.StartAsync(acme.Slug);

        using var refused = await browser.PostResponseAsync(acme.Slug, acme.Respond(started.RequestId, "stranger@acme.example").FormValue, started.RelayState);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var attempt = await acme.LastAttemptAsync();
        Assert.Equal(SignInRefusal.UnknownMember, attempt.Reason);
        Assert.Contains("assign the person to the app", attempt.Detail);
    }

    [Fact]
    public async Task The_ACS_refuses_what_is_not_a_SAML_POST_with_a_4xx_and_records_it()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var browser = new SamlBrowser(host.BaseAddress);

        using (var noField = await browser.PostFormAsync($"/saml/{acme.Slug}/acs", [new("RelayState", "x")]))
            Assert.Equal(HttpStatusCode.BadRequest, noField.StatusCode);
        Assert.Equal("binding", (await acme.LastAttemptAsync()).Reason);
        using (var notBase64 = await browser.PostResponseAsync(acme.Slug, "this is not base64!", null))
            Assert.Equal(HttpStatusCode.Forbidden, notBase64.StatusCode);
        Assert.Equal("not-base64", (await acme.LastAttemptAsync()).Reason);
        using (var get = await browser.GetAsync($"/saml/{acme.Slug}/acs"))
            Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        using (var unknown = await browser.PostResponseAsync("no-such-enterprise", acme.Respond(null, "ann@acme.example").FormValue, null))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var json = await new HttpClient { BaseAddress = host.BaseAddress }.PostAsync($"/saml/{acme.Slug}/acs",
                   new StringContent("{\"SAMLResponse\":\"x\"}", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    [Fact]
    public async Task The_SP_metadata_is_served_and_downloadable()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var browser = new SamlBrowser(host.BaseAddress);

        using var metadata = await browser.GetAsync($"/saml/{acme.Slug}/metadata");
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("application/samlmetadata+xml", metadata.Content.Headers.ContentType!.MediaType);
        var xml = new XmlDocument();
        xml.LoadXml(await metadata.Content.ReadAsStringAsync());
        Assert.Equal(acme.EntityId, xml.DocumentElement!.GetAttribute("entityID"));
        var acs = xml.GetElementsByTagName("AssertionConsumerService", "urn:oasis:names:tc:SAML:2.0:metadata");
        Assert.Equal(acme.AcsUrl, ((XmlElement)acs[0]!).GetAttribute("Location"));
        Assert.DoesNotContain("PRIVATE KEY", xml.OuterXml);

        using var download = await browser.GetAsync($"/saml/{acme.Slug}/metadata?download=1");
        Assert.Equal($"roster-{acme.Slug}-sp-metadata.xml", download.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        using var unknown = await browser.GetAsync("/saml/no-such-enterprise/metadata");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_assertion_encrypted_to_the_enterprise_key_signs_in()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        using var spCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(acme.Configuration.ServiceProvider.CertificatePem);
        using var browser = new SamlBrowser(host.BaseAddress);
        var started = await browser.StartAsync(acme.Slug);

        var encrypted = acme.Respond(started.RequestId, "ann@acme.example", o => o with { EncryptFor = spCertificate });
        Assert.Contains("EncryptedAssertion", encrypted.Xml);
        Assert.DoesNotContain("ann@acme.example", encrypted.Xml);
        using var answered = await browser.PostResponseAsync(acme.Slug, encrypted.FormValue, started.RelayState);

        Assert.Equal(HttpStatusCode.SeeOther, answered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/session")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        using var browser = await SignedInAsync(acme, "ann@acme.example");
        var secret = browser.Cookie("roster_session")!;

        using (var signedOut = await browser.PostFormAsync("/session/sign-out", []))
            Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);

        Assert.Null(browser.Cookie("roster_session"));
        Assert.Equal(0, await host.Directory.Sessions.CountOpenAsync(annId));
        // The old cookie, kept by someone, opens nothing either.
        using var kept = new SamlBrowser(host.BaseAddress);
        kept.SetCookie("roster_session", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await kept.GetAsync("/session")).StatusCode);
    }

    [Fact]
    public async Task With_SCIM_on_a_member_created_by_a_just_in_time_sign_in_must_be_provisioned_first()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host, scimEnabled: false, options: new SamlOptions(JitProvisioning: true));
        using (var early = await SignedInAsync(acme, "early.bird@acme.example")) { }
        await host.Directory.Enterprises.SetScimEnabledAsync(acme.Enterprise, true);

        using var browser = new SamlBrowser(host.BaseAddress);
        var started = await browser.StartAsync(acme.Slug);
        using var refused = await browser.PostResponseAsync(acme.Slug, acme.Respond(started.RequestId, "early.bird@acme.example").FormValue, started.RelayState);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var attempt = await acme.LastAttemptAsync();
        Assert.Equal("not-provisioned", attempt.Reason);
        Assert.Contains("saml-jit", attempt.Detail);
    }

    static async Task<SamlBrowser> SignedInAsync(SamlTestEnterprise enterprise, string nameId)
    {
        var browser = new SamlBrowser(enterprise.Host.BaseAddress);
        var started = await browser.StartAsync(enterprise.Slug);
        using var answered = await browser.PostResponseAsync(enterprise.Slug, enterprise.Respond(started.RequestId, nameId).FormValue, started.RelayState);
        Assert.Equal(HttpStatusCode.SeeOther, answered.StatusCode);
        return browser;
    }
}
