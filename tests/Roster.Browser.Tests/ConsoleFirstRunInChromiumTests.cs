using Microsoft.Playwright;
using Roster.AdminConsole;
using Roster.Testing;
using Roster.Tests;

namespace Roster.Browser.Tests;

/// <summary>
/// The console's first run in a real Chromium: the link `roster serve` prints (made by the same code,
/// <see cref="FirstRunLink"/>), the set-up page where a person names the organisation and themselves,
/// and the overview they land on, signed in. What only a browser tells: that the page works under the
/// console's CSP (its stylesheet loads, nothing is blocked), and that it keeps the Secure, SameSite=Strict
/// console cookie on http://127.0.0.1. A screenshot per step.
/// </summary>
public sealed class ConsoleFirstRunInChromiumTests(ChromiumFixture chromium)
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_first_run_link_leads_through_set_up_to_the_organisation_s_overview(string kind)
    {
        await using var tab = await chromium.OpenTabAsync(kind);
        await using var host = await RosterTestHost.StartAsync(kind);
        var line = await FirstRunLink.CreateAsync(host.Directory, host.BaseAddress.ToString().TrimEnd('/'));
        var url = System.Text.RegularExpressions.Regex.Match(line!, @"http://\S+/console/setup\?token=\S+").Value;
        var blocked = new List<string>();
        tab.Page.Console += (_, message) => { if (message.Type == "error") blocked.Add(message.Text); };
        var stylesheets = new List<int>();
        tab.Page.Response += (_, response) => { if (response.Url.EndsWith("/console/assets/console.css", StringComparison.Ordinal)) stylesheets.Add(response.Status); };

        await tab.Page.LoadAsync(url);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Set up Roster" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("first-run-set-up-page");

        await tab.Page.GetByLabel("Organisation name").FillAsync("Acme Corp");
        await tab.Page.GetByLabel("Your name").FillAsync("Olga Owner");
        await tab.Page.GetByLabel("Your email").FillAsync("olga@acme.example");
        await tab.Page.GetByLabel("Password", new() { Exact = false }).First.FillAsync("correct horse battery staple");
        await tab.Page.GetByLabel("Password again").FillAsync("correct horse battery staple");
        await tab.ScreenshotAsync("first-run-filled-in");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create organisation and sign in" }).ClickAsync();
        await tab.Page.ArrivedAtAsync(host.BaseAddress + "console/acme-corp");

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Acme Corp", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.Locator("#members-active")).ToHaveTextAsync("0");
        await Assertions.Expect(tab.Page.Locator("#saml-status")).ToHaveTextAsync("Not configured");
        await Assertions.Expect(tab.Page.GetByText("Signed in as Olga Owner (owner account)")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("overview-signed-in");

        var cookie = Assert.Single(await tab.CookiesAsync(host.BaseAddress + "console/acme-corp"), c => c.Name == "roster_console");
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.NotEmpty(stylesheets);
        Assert.All(stylesheets, status => Assert.Equal(200, status));
        Assert.Empty(blocked); // no CSP violation, no failed load

        // The link is spent: opened again, it says so and shows no form.
        await tab.Page.LoadAsync(url);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "This link cannot be used" })).ToBeVisibleAsync();
        Assert.Equal(0, await tab.Page.Locator("input[type=password]").CountAsync());
        await tab.ScreenshotAsync("first-run-link-spent");
    }
}
