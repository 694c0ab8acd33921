using System.Net;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.Playwright;
using Roster.Testing;
using Roster.Tests;
using Roster.Tests.AdminConsole;

namespace Roster.Browser.Tests;

/// <summary>
/// The story Roster grew from (../shared/seed-okta-scim-article.txt), told in a real Chromium through
/// the admin console alone: an owner signs in, configures SAML from the IdP's metadata file, tests
/// sign-in at the IdP, turns SCIM on, creates a token and copies it; the IdP (here the test, with that
/// token) provisions a member, who appears; deprovisions them, and they show as deactivated; a request
/// fails, and the owner finds it in the provisioning log with its reason in words. A screenshot per step.
/// </summary>
public sealed class SeedStoryInChromiumTests(ChromiumFixture chromium)
{
    const string Owner = "olga@acme.example";
    const string Jane = "jane@acme.example";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_owner_sets_up_SAML_and_SCIM_in_the_console_and_sees_provisioning_and_its_failures(string kind)
    {
        await using var tab = await chromium.OpenTabAsync(kind, acceptSelfSignedCertificates: true);
        await using var host = await RosterTestHost.StartAsync(kind);
        await using var idp = await TestIdpServer.StartAsync();
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, Owner);
        await tab.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = host.BaseAddress.GetLeftPart(UriPartial.Authority) });
        var problems = new List<string>();
        // Errors on Roster's pages only: the test IdP is not the product.
        tab.Page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Location.StartsWith(host.BaseAddress.AbsoluteUri, StringComparison.Ordinal)) problems.Add($"{message.Text} ({message.Location})");
        };
        var page = tab.Page;
        string Url(string path) => new Uri(host.BaseAddress, path).AbsoluteUri;

        // 1. The owner signs in with their password and lands on the overview: nothing set up yet.
        await tab.SignInWithPasswordAsync(host.BaseAddress, "acme", Owner, ConsoleBrowser.Password);
        await Assertions.Expect(page).ToHaveURLAsync(Url("/console/acme"));
        await Assertions.Expect(page.Locator("#saml-status")).ToHaveTextAsync("Not configured");
        await Assertions.Expect(page.Locator("#scim-status")).ToHaveTextAsync("Off");
        await tab.ScreenshotAsync("overview-nothing-set-up");

        // 2. Single sign-on: the IdP's metadata file, downloaded from the IdP, is uploaded.
        await Nav(page, "Single sign-on");
        var metadataFile = Path.Combine(tab.ScreenshotDirectory, "idp-metadata.xml");
        await File.WriteAllTextAsync(metadataFile, idp.MetadataXml);
        await page.Locator("#metadata-file").SetInputFilesAsync(metadataFile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Url("/console/acme/saml?saved=true"));
        await Assertions.Expect(page.Locator("#idp-entity-id")).ToHaveTextAsync(idp.Identity.EntityId);
        await Assertions.Expect(page.Locator("#idp-sso-url")).ToHaveTextAsync(idp.SsoUrl);
        await Assertions.Expect(page.Locator("#saml-verified")).ToContainTextAsync("Not tested");
        await tab.ScreenshotAsync("saml-configured-from-metadata-file");

        // The owner copies Roster's values into the IdP (the SP metadata carries its signing certificate).
        var entityId = await page.Locator("#sp-entity-id").InputValueAsync();
        var acsUrl = await page.Locator("#sp-acs-url").InputValueAsync();
        idp.Trust(entityId, acsUrl, await SpSigningCertificateAsync(await page.Locator("#sp-metadata-url").InputValueAsync()));
        idp.SignIn(Owner, "Olga", "Novak");

        // 3. Test sign-in: to the IdP, "Sign in" there, back to Roster, which says it works.
        await page.Locator("#test-sign-in").ClickAsync();
        await page.ArrivedAtAsync(new Uri(idp.SsoUrl).GetLeftPart(UriPartial.Path) + "**");
        await tab.ScreenshotAsync("test-sign-in-at-the-idp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "SAML sign-in works" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("test-sign-in-works");
        // 4. From there back to the console, where SCIM is turned on.
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue in the console" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Url("/console/acme/scim"));
        await Assertions.Expect(page.Locator("#scim-status")).ToContainTextAsync("Off");
        await page.Locator("#enable-scim").ClickAsync();
        await Assertions.Expect(page.Locator("#scim-status")).ToContainTextAsync("On");
        var baseUrl = await page.Locator("#scim-base-url").InputValueAsync();
        Assert.Equal(Url("/scim/v2/acme"), baseUrl);
        await tab.ScreenshotAsync("scim-turned-on");

        // 5. A token for Okta, shown once, copied with its Copy button.
        await page.GetByLabel("Token name").FillAsync("Okta");
        await page.Locator("#create-token").ClickAsync();
        var shown = await page.Locator("#new-token").InputValueAsync();
        Assert.StartsWith("rst_", shown);
        await page.Locator("button[data-copy=new-token]").ClickAsync();
        await Assertions.Expect(page.Locator("button[data-copy=new-token]")).ToHaveTextAsync("Copied");
        var token = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(shown, token);
        await tab.ScreenshotAsync("token-created-and-copied");
        await page.LoadAsync(Url("/console/acme/scim"));
        Assert.DoesNotContain(token, await page.ContentAsync()); // never shown twice
        await Assertions.Expect(page.Locator("#tokens")).ToContainTextAsync("Okta");

        // 6. The IdP, with that token and the base URL, provisions Jane (as Okta does: look up, then create).
        using var okta = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
        okta.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
        okta.DefaultRequestHeaders.UserAgent.ParseAdd("Okta SCIM Client 1.0.0");
        Assert.Equal(HttpStatusCode.OK, (await okta.GetAsync($"Users?filter={Uri.EscapeDataString($"userName eq \"{Jane}\"")}&startIndex=1&count=100")).StatusCode);
        using var created = await okta.PostAsync("Users", Scim(JaneUser));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var janeId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        // She appears among the members, active, found by the start of her name.
        await Nav(page, "Members");
        await page.GetByLabel("Search").FillAsync("jan");
        await page.GetByLabel("Search").PressAsync("Enter");
        var janeRow = page.Locator($"#members tr[data-member-id='{janeId}']");
        await Assertions.Expect(janeRow).ToContainTextAsync("Jane Doe");
        await Assertions.Expect(janeRow).ToContainTextAsync("Active");
        await tab.ScreenshotAsync("member-provisioned-by-scim");

        // 7. Unassigned in Okta: deactivated, and the console says so, with the history of both requests.
        using var deactivated = await okta.PatchAsync($"Users/{janeId}",
            Scim("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"""));
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        await page.ReloadedAsync();
        await Assertions.Expect(janeRow).ToContainTextAsync("Deactivated");
        await janeRow.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Url($"/console/acme/members/{janeId}"));
        await Assertions.Expect(page.Locator("#member-status")).ToContainTextAsync("Deactivated");
        await Assertions.Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#resource")).ToContainTextAsync("\"externalId\": \"00u1jane\"");
        await tab.ScreenshotAsync("member-deprovisioned-with-history");

        // 8. A request that fails: Okta pushes Jane as new again, with a password, while she exists deactivated.
        using var conflict = await okta.PostAsync("Users", Scim(JaneUser.Replace("\"active\":true", "\"active\":true,\"password\":\"Tr0ub4dor&3\"", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        // The owner opens the provisioning log from the overview's failure count, finds the failure in words, and opens it.
        await Nav(page, "Overview");
        await Assertions.Expect(page.Locator("#failures-24h")).ToHaveTextAsync("1");
        await page.Locator("#failures-24h a").ClickAsync();
        await Assertions.Expect(page.Locator("#log-entries tbody tr")).ToHaveCountAsync(1);
        var failure = page.Locator("#log-entries tbody tr").First;
        await Assertions.Expect(failure).ToContainTextAsync($"Okta tried to create {Jane}, who already exists as a deactivated member: reactivate instead");
        await tab.ScreenshotAsync("provisioning-log-failures-of-the-last-24-hours");
        await failure.Locator("td").First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("#entry-outcome")).ToHaveTextAsync("Failed");
        await Assertions.Expect(page.Locator("#entry-words")).ToContainTextAsync("already exists as a deactivated member");
        await Assertions.Expect(page.Locator("#answer-status")).ToHaveTextAsync("409 uniqueness");
        await Assertions.Expect(page.Locator("#request-body")).ToContainTextAsync(Jane);
        Assert.DoesNotContain("Tr0ub4dor", await page.Locator("#request-body").InnerTextAsync());
        await tab.ScreenshotAsync("failed-request-as-sent-and-roster-s-answer");

        Assert.Empty(problems); // no CSP violation, no failed load
    }

    const string JaneUser = $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{Jane}}","name":{"givenName":"Jane","familyName":"Doe"},
         "emails":[{"primary":true,"value":"{{Jane}}","type":"work"}],"displayName":"Jane Doe","locale":"en-US","externalId":"00u1jane","groups":[],"active":true}
        """;

    static StringContent Scim(string json) => new(json, System.Text.Encoding.UTF8, "application/scim+json");

    static async Task Nav(IPage page, string section) =>
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = section, Exact = true }).ClickAsync();

    /// <summary>The signing certificate in Roster's SP metadata, as PEM: what the admin gives the IdP
    /// so that it accepts Roster's signed AuthnRequests.</summary>
    static async Task<string> SpSigningCertificateAsync(string metadataUrl)
    {
        using var http = new HttpClient();
        var document = new XmlDocument { XmlResolver = null };
        document.LoadXml(await http.GetStringAsync(metadataUrl));
        var names = new XmlNamespaceManager(document.NameTable);
        names.AddNamespace("md", "urn:oasis:names:tc:SAML:2.0:metadata");
        names.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        var base64 = document.SelectSingleNode("//md:SPSSODescriptor/md:KeyDescriptor[@use='signing']//ds:X509Certificate", names)?.InnerText
                     ?? throw new InvalidOperationException("The SP metadata has no signing certificate.");
        return $"-----BEGIN CERTIFICATE-----\n{string.Join("", base64.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))}\n-----END CERTIFICATE-----";
    }
}
