using Microsoft.Playwright;
using Roster.Testing;
using Roster.Tests;
using Roster.Tests.AdminConsole;
using Roster.Tests.Saml;

namespace Roster.Browser.Tests;

/// <summary>
/// Every console page, rendered by Chromium with data on it, passes <see cref="AccessibilityAudit"/>
/// (labels, names, headings, tables, contrast) and can be left by keyboard alone: the first Tab lands
/// on the skip link, which moves focus to the content.
/// </summary>
public sealed class ConsoleAccessibilityInChromiumTests(ChromiumFixture chromium)
{
    const string Owner = "olga@acme.example";

    [Fact]
    public async Task Every_console_page_passes_the_accessibility_audit()
    {
        await using var tab = await chromium.OpenTabAsync(TestDatabase.Sqlite);
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme.Enterprise, Owner);
        var jane = await acme.ProvisionAsync("jane@acme.example");
        var group = await acme.Scim!.PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[{"value":"{{jane}}"}]}""");
        Assert.Equal(201, group.Status);
        var groupId = group.Json["id"]!.GetValue<string>();
        await host.Directory.Roles.MapAsync(acme.Enterprise, "Engineering", "admin");
        await host.Directory.Domains.AddAsync(acme.Enterprise, "acme.example", actor: null);
        var failed = await acme.Scim!.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@acme.example","password":"hunter2hunter2"}""");
        Assert.Equal(409, failed.Status);
        var page = tab.Page;
        string Url(string path) => new Uri(host.BaseAddress, path).AbsoluteUri;

        await page.LoadAsync(Url("/console/sign-in"));
        await AuditAsync(tab, "sign-in");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.EndsWith("#content", page.Url);

        await page.Locator("#enterprise").FillAsync("acme");
        await page.Locator("#email").FillAsync(Owner);
        await page.Locator("#password").FillAsync(ConsoleBrowser.Password);
        await page.Locator("#password").PressAsync("Enter"); // the form submits from the keyboard
        // The fragment the skip link added rides along through the sign-in's redirect, as fragments do.
        await page.ArrivedAtAsync(Url("/console/acme#content"));

        var failure = (await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: 1)).Single();
        foreach (var path in new[]
        {
            "/console/acme", "/console/acme/saml", "/console/acme/scim", "/console/acme/members", $"/console/acme/members/{jane}",
            "/console/acme/groups", $"/console/acme/groups/{groupId}", "/console/acme/identity", "/console/acme/health", "/console/acme/log", $"/console/acme/log/{failure.Id}", "/console/acme/webhooks", "/console/acme/audit",
        })
        {
            var response = await page.LoadAsync(Url(path));
            Assert.Equal(200, response!.Status);
            await AuditAsync(tab, path.Replace(jane, "jane").Replace(groupId, "engineering").Replace('/', '-').Trim('-'));
        }
    }

    static async Task AuditAsync(BrowserTab tab, string name)
    {
        await tab.ScreenshotAsync(name);
        var problems = await AccessibilityAudit.RunAsync(tab.Page);
        Assert.True(problems.Count == 0, $"{tab.Page.Url}:\n  " + string.Join("\n  ", problems));
    }
}
