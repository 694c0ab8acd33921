using Microsoft.Playwright;
using Roster.Testing;
using Roster.Tests;
using Roster.Tests.AdminConsole;

namespace Roster.Browser.Tests;

/// <summary>
/// The admin API's reference page in a real Chromium, under its CSP: its script renders every operation
/// of /openapi/v1.json, and "Try it" calls the API with the key typed into the page. The console's API
/// keys page passes the accessibility audit with a key just created on it.
/// </summary>
public sealed class AdminApiInChromiumTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task The_reference_page_renders_the_operations_and_tries_one_with_the_key_under_its_CSP()
    {
        await using var tab = await chromium.OpenTabAsync(TestDatabase.Sqlite);
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var key = (await host.Directory.ApiKeys.CreateAsync(acme, "reference", null, actor: null)).Key;
        var page = tab.Page;
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") violations.Add(message.Text);
        };

        var response = await page.LoadAsync(new Uri(host.BaseAddress, "/api/reference").AbsoluteUri);
        Assert.Equal(200, response!.Status);
        await page.Locator("details.operation").First.WaitForAsync();
        Assert.True(await page.Locator("details.operation").CountAsync() >= 19);
        await tab.ScreenshotAsync("reference");

        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#enterprise-id").FillAsync("acme");
        var operation = page.Locator("details.operation", new PageLocatorOptions { HasText = "/api/v1/enterprises/{enterpriseId}/deprovisioning-policy" })
            .Filter(new LocatorFilterOptions { HasText = "GET" });
        await operation.Locator("summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Try it" }).ClickAsync();
        await operation.Locator(".status-ok").WaitForAsync();
        Assert.StartsWith("200", await operation.Locator(".status-ok").InnerTextAsync());
        Assert.Contains("\"onDeactivate\": \"suspend\"", await operation.Locator("pre").InnerTextAsync());
        await tab.ScreenshotAsync("reference-tried");

        var problems = await AccessibilityAudit.RunAsync(page);
        Assert.True(problems.Count == 0, string.Join("\n  ", problems));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task The_API_keys_page_passes_the_accessibility_audit_with_a_new_key_on_it()
    {
        const string owner = "olga@acme.example";
        await using var tab = await chromium.OpenTabAsync(TestDatabase.Sqlite);
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, owner);
        await host.Directory.ApiKeys.CreateAsync(acme, "older key", DateTimeOffset.UtcNow.AddDays(30), actor: null);
        await tab.SignInWithPasswordAsync(host.BaseAddress, "acme", owner, ConsoleBrowser.Password);
        await tab.Page.ArrivedAtAsync(new Uri(host.BaseAddress, "/console/acme").AbsoluteUri);

        await tab.Page.LoadAsync(new Uri(host.BaseAddress, "/console/acme/api").AbsoluteUri);
        await tab.Page.Locator("#key-name").FillAsync("deploy script");
        await tab.Page.Locator("#create-key").ClickAsync();
        await tab.Page.Locator("#new-key").WaitForAsync();
        Assert.StartsWith("rak_", await tab.Page.Locator("#new-key").InputValueAsync());
        Assert.True(await tab.Page.Locator("button[data-copy=new-key]").IsVisibleAsync()); // the script shows Copy
        await tab.ScreenshotAsync("api-keys");
        var problems = await AccessibilityAudit.RunAsync(tab.Page);
        Assert.True(problems.Count == 0, $"{tab.Page.Url}:\n  " + string.Join("\n  ", problems));
    }
}
