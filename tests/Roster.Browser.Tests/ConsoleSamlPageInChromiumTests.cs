using Microsoft.Playwright;
using Roster.Testing.Saml;
using Roster.Testing;
using Roster.Tests.AdminConsole;
using Roster.Tests;

namespace Roster.Browser.Tests;

/// <summary>
/// The console's SAML page in a real Chromium: an owner signs in with their password, follows the nav
/// to Single sign-on, pastes the IdP's metadata (Okta's sample) and saves, and sees the IdP and its
/// certificate. What only a browser tells: the page and its one script load under the console's CSP
/// (nothing blocked), and the Copy buttons the script reveals appear. A screenshot per step.
/// </summary>
public sealed class ConsoleSamlPageInChromiumTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task An_owner_pastes_the_IdP_metadata_saves_and_sees_the_IdP_and_its_certificate()
    {
        await using var tab = await chromium.OpenTabAsync(TestDatabase.Sqlite);
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "olga@acme.example");
        var blocked = new List<string>();
        tab.Page.Console += (_, message) => { if (message.Type == "error") blocked.Add(message.Text); };
        var scripts = new List<int>();
        tab.Page.Response += (_, response) => { if (response.Url.EndsWith("/console/assets/console.js", StringComparison.Ordinal)) scripts.Add(response.Status); };

        await tab.SignInWithPasswordAsync(host.BaseAddress, "acme", "olga@acme.example", ConsoleBrowser.Password);
        await tab.Page.ArrivedAtAsync(host.BaseAddress + "console/acme");
        await tab.ScreenshotAsync("saml-page-signed-in-overview");

        await tab.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Single sign-on" }).ClickAsync();
        await tab.Page.ArrivedAtAsync(host.BaseAddress + "console/acme/saml");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Single sign-on", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.GetByLabel("Audience URI (SP Entity ID)")).ToHaveValueAsync(host.BaseAddress + "saml/acme");
        await Assertions.Expect(tab.Page.Locator("button[data-copy=sp-acs-url]")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("saml-page-not-configured");

        await tab.Page.GetByLabel("Or paste the metadata XML").FillAsync(await File.ReadAllTextAsync(Sample("okta-idp-metadata.xml")));
        await tab.ScreenshotAsync("saml-page-metadata-pasted");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await tab.Page.ArrivedAtAsync(host.BaseAddress + "console/acme/saml?saved=true");

        await Assertions.Expect(tab.Page.Locator("#idp-entity-id")).ToHaveTextAsync("http://www.okta.com/exkb2lq7x9RzT4wPj697");
        await Assertions.Expect(tab.Page.Locator("#saml-verified")).ToHaveTextAsync("Not tested");
        await Assertions.Expect(tab.Page.Locator(".certificate-subject")).ToContainTextAsync("O=Okta");
        await Assertions.Expect(tab.Page.Locator(".fingerprint")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"));
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Test sign-in" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("saml-page-configured");

        Assert.NotEmpty(scripts);
        Assert.All(scripts, status => Assert.Equal(200, status));
        Assert.Empty(blocked); // no CSP violation, no failed load
    }

    static string Sample(string name) => SamlSamples.PathOf(name);
}
