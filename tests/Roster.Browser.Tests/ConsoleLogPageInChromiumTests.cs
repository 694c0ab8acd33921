using Microsoft.Playwright;
using Roster.Testing;
using Roster.Tests;
using Roster.Tests.AdminConsole;

namespace Roster.Browser.Tests;

/// <summary>
/// The provisioning log in a real Chromium: an owner has the log open, the IdP's request fails, and
/// the entry appears without reloading (the console's one script polling the entries address under the
/// CSP); its words say why, and one click opens the request as sent without the password.
/// </summary>
public sealed class ConsoleLogPageInChromiumTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task A_failed_request_appears_in_the_open_log_without_reloading_and_opens_without_its_password()
    {
        await using var tab = await chromium.OpenTabAsync(TestDatabase.Sqlite);
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var scim = await host.CreateEnterpriseAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, scim.Enterprise, "olga@acme.example");
        var errors = new List<string>();
        tab.Page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        (await scim.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@acme.example","active":true}""")).AssertOk(201);

        await tab.SignInWithPasswordAsync(host.BaseAddress, "acme", "olga@acme.example", ConsoleBrowser.Password);
        await tab.Page.ArrivedAtAsync(host.BaseAddress + "console/acme");
        await tab.Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Provisioning log" }).ClickAsync();
        await tab.Page.ArrivedAtAsync(host.BaseAddress + "console/acme/log");
        await Assertions.Expect(tab.Page.Locator("#log-entries tbody tr")).ToHaveCountAsync(1);
        await tab.ScreenshotAsync("log-page-one-entry");

        (await scim.PostAsync("Users",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@acme.example","password":"Sup3r-Secret-Pw","active":true}""")).AssertError(409);
        // The script polls every few seconds: wait for the row, not for a time.
        var newRow = tab.Page.Locator("#log-entries tbody tr").First;
        await Assertions.Expect(newRow).ToContainTextAsync("Okta tried to create jane@acme.example, who already exists as an active member",
            new() { Timeout = 30_000 });
        await Assertions.Expect(tab.Page.Locator("#log-entries tbody tr")).ToHaveCountAsync(2);
        await tab.ScreenshotAsync("log-page-failure-appeared-live");

        await newRow.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#entry-words")).ToContainTextAsync("already exists as an active member");
        await Assertions.Expect(tab.Page.Locator("#request-body")).ToContainTextAsync("[removed]");
        Assert.DoesNotContain("Sup3r-Secret-Pw", await tab.Page.ContentAsync());
        await tab.ScreenshotAsync("log-entry-request-and-answer");
        Assert.Empty(errors); // no CSP violation, no failed fetch
    }
}
