using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.Audit;
using Roster.Testing;
using Roster.Tests.AdminConsole;

namespace Roster.Tests.AdminApi;

/// <summary>/console/{slug}/api: a key created in the console is shown once, works on the admin API,
/// is listed without the key, and is refused once revoked; each change audited as the owner.</summary>
public sealed partial class ApiKeysPageTests
{
    const string Page = "/console/acme/api";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_key_created_in_the_console_is_shown_once_works_and_is_refused_once_revoked(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        using (var empty = await owner.GetAsync(Page))
        {
            var html = await empty.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Contains("id=\"no-keys\"", html);
            Assert.Contains($"href=\"{Page}\"", html); // the nav item
        }

        using var refused = await owner.SubmitAsync(Page, [new("name", "deploy"), new("expires", "someday")], Page + "?handler=create");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The expiry is a day like 2027-01-31", ConsoleBrowser.TextOf(await refused.Content.ReadAsStringAsync(), "key-error"));

        using var created = await owner.SubmitAsync(Page, [new("name", "deploy script"), new("expires", "2099-01-31")], Page + "?handler=create");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl!.NoStore);
        var page = await created.Content.ReadAsStringAsync();
        var key = NewKeyField().Match(page).Groups[1].Value;
        Assert.StartsWith("rak_", key);
        Assert.Single(Regex.Matches(page, Regex.Escape(key)));
        Assert.Contains("data-copy=\"new-key\"", page);

        var stored = Assert.Single(await host.Directory.ApiKeys.ListAsync(acme));
        Assert.Equal(("deploy script", new DateTimeOffset(2099, 1, 31, 0, 0, 0, TimeSpan.Zero)), (stored.Name, stored.ExpiresAt!.Value));
        using (var api = AdminApiClient.For(host, acme, key))
            (await api.GetAsync()).AssertOk();

        using (var reloaded = await owner.GetAsync(Page))
        {
            var html = await reloaded.Content.ReadAsStringAsync();
            Assert.DoesNotContain(key, html);
            Assert.Contains($"id=\"key-{stored.Id}\"", html);
            Assert.Contains("<th scope=\"row\">deploy script</th>", html);
        }

        using (var revoked = await owner.SubmitAsync(Page, [new("id", stored.Id)], Page + "?handler=revoke"))
            Assert.Equal(Page + "?done=revoked", revoked.Headers.Location!.OriginalString);
        using (var api = AdminApiClient.For(host, acme, key))
            (await api.GetAsync()).AssertProblem(401);

        Assert.Equal(
            [(AdminAction.ApiKeyRevoked, "owner account owner@acme.example"), (AdminAction.ApiKeyCreated, "owner account owner@acme.example")],
            (await ConsoleBrowser.AuditAfterSetUpAsync(host, acme, 10)).Select(e => (e.Action, e.Actor)));
    }

    [GeneratedRegex("id=\"new-key\" value=\"([^\"]+)\"")]
    private static partial Regex NewKeyField();
}
