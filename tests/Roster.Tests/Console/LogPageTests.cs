using System.Net;
using System.Text.Json.Nodes;
using Roster.AdminConsole;
using Roster.AdminConsole.Pages;
using Roster.Directory.Provisioning;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The provisioning log in the console answers "did provisioning of this member fail, and
/// why?": real SCIM requests, then the log page, an entry, the filters, the CSV export and the live
/// entries, over HTTP on both databases.</summary>
public sealed class LogPageTests
{
    const string Password = "Sup3r-Secret-Pw";
    const string PatchDeactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";

    static string UserBody(string userName, string? password = null) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}"{{(password is null ? "" : $",\"password\":\"{password}\"")}},"active":true}""";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_duplicate_create_from_Okta_is_in_the_log_in_words_and_its_entry_shows_the_request_without_the_password_and_the_409(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var janeId = await acme.ProvisionAsync("jane@acme.example");
        (await acme.Scim!.PatchAsync($"Users/{janeId}", PatchDeactivate)).AssertOk();
        (await acme.Scim.PostAsync("Users", UserBody("jane@acme.example", Password))).AssertError(409, "uniqueness");

        var html = await PageAsync(owner, "/console/acme/log");
        Assert.Contains("Okta tried to create jane@acme.example, who already exists as a deactivated member: reactivate instead", html);
        var failure = Assert.Single(await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: 10));
        Assert.Equal(janeId, failure.TargetId);
        Assert.Contains($"href=\"{ConsoleUrls.LogEntry("acme", failure.Id)}\"", html);
        Assert.Contains($"href=\"{ConsoleUrls.Member("acme", janeId)}\"", html);
        Assert.Contains("Okta deprovisioned jane@acme.example", html);

        var entry = WebUtility.HtmlDecode(await PageAsync(owner, ConsoleUrls.LogEntry("acme", failure.Id)));
        Assert.DoesNotContain(Password, entry);
        Assert.DoesNotContain(acme.Scim.Token, entry);
        Assert.DoesNotContain("Authorization", entry.Split("The request as sent")[1].Split("Roster's answer")[0].Replace("the Authorization header is never kept", ""));
        Assert.Contains("\"password\": \"[removed]\"", entry);
        Assert.Contains("\"userName\": \"jane@acme.example\"", entry);
        Assert.Contains("User-Agent: Okta-SCIM-Client/1.0.0", entry);
        Assert.Contains("POST /scim/v2/acme/Users", entry);
        Assert.Contains("409 uniqueness", ConsoleBrowser.TextOf(entry, "answer-status"));
        Assert.Contains("\"status\": \"409\"", entry);
        Assert.Contains($"already exists in this enterprise: the deactivated member {janeId}", entry);
        Assert.Contains($"href=\"{ConsoleUrls.Member("acme", janeId)}\"", entry);

        // Nothing of the password reached the database either.
        var stored = await host.Directory.Log.FindAsync(acme.Enterprise, failure.Id);
        Assert.DoesNotContain(Password, stored!.Messages!.RequestBody);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_filters_narrow_by_outcome_operation_member_and_time_and_Older_pages_back_by_id(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        await acme.ProvisionAsync("bob@acme.example");
        (await acme.Scim!.PatchAsync($"Users/{annId}", PatchDeactivate)).AssertOk();
        (await acme.Scim.GetAsync("Users/no-such-user")).AssertError(404);
        (await acme.Scim.GetAsync("Users?filter=userName%20eq")).AssertError(400, "invalidFilter");

        var failed = await PageAsync(owner, "/console/acme/log?outcome=failed");
        Assert.Equal(2, Rows(failed));
        Assert.Contains("who does not exist", failed);
        Assert.Contains("with a filter Roster cannot read", failed);
        Assert.DoesNotContain("Okta provisioned", failed);

        var creates = await PageAsync(owner, "/console/acme/log?operation=create");
        Assert.Equal(2, Rows(creates));
        Assert.Contains("Okta provisioned ann@acme.example", creates);

        var ann = await PageAsync(owner, "/console/acme/log?member=ANN%40acme.example");
        Assert.Equal(2, Rows(ann)); // provisioned, then deprovisioned
        Assert.DoesNotContain("bob@acme.example", ann.Split("<tbody>")[1]);
        Assert.Equal(2, Rows(await PageAsync(owner, $"/console/acme/log?member={annId}")));

        Assert.Equal(5, Rows(await PageAsync(owner, "/console/acme/log?range=1h")));
        var past = await PageAsync(owner, "/console/acme/log?to=2020-01-01T00:00");
        Assert.Equal(0, Rows(past));
        Assert.Contains("No entries match these filters.", past);

        var wrong = await PageAsync(owner, "/console/acme/log?outcome=maybe&from=yesterday");
        Assert.Contains("Outcome &#x27;maybe&#x27; is not one of all, failed, succeeded", wrong);
        Assert.Contains("From &#x27;yesterday&#x27; is not a date and time", wrong);
        Assert.Equal(5, Rows(wrong));

        // More than a page: the newest 50, then "Older" from the last id shown.
        for (var i = 0; i < LogModel.PageSize; i++) (await acme.Scim.GetAsync($"Users/missing-{i}")).AssertError(404);
        var newest = await PageAsync(owner, "/console/acme/log?outcome=failed");
        Assert.Equal(LogModel.PageSize, Rows(newest));
        Assert.Contains("missing-49", newest);
        var oldestShown = (await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: LogModel.PageSize))[^1].Id;
        Assert.Contains($"href=\"/console/acme/log?outcome=failed&amp;before={oldestShown}\"", newest);
        var older = await PageAsync(owner, $"/console/acme/log?outcome=failed&before={oldestShown}");
        Assert.Equal(2, Rows(older));
        Assert.Contains("no-such-user", older);
        Assert.DoesNotContain("data-live-url", older); // only the newest page is live
        Assert.Contains("data-live-url", newest);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_CSV_export_holds_the_filtered_rows_quoted_and_with_formulas_neutralised(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        await acme.ProvisionAsync("ann@acme.example");
        (await acme.Scim!.PostAsync("Users", UserBody("=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")"))).AssertOk(201);
        (await acme.Scim.PostAsync("Users", UserBody("=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")", Password))).AssertError(409);

        using var all = await owner.GetAsync("/console/acme/log/export.csv");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/csv", all.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment; filename=\"roster-log-acme-", all.Content.Headers.ContentDisposition!.ToString());
        var csv = await all.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,time_utc,idp,", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",", csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.DoesNotContain(Password, csv);
        Assert.Contains(",ann@acme.example,succeeded,201,", csv);

        using var failedOnly = await owner.GetAsync("/console/acme/log/export.csv?outcome=failed");
        var failedLines = (await failedOnly.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, failedLines.Length);
        Assert.Contains(",failed,409,uniqueness,", failedLines[1]);

        using var bad = await owner.GetAsync("/console/acme/log/export.csv?operation=explode");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("There is no operation &#x27;explode&#x27;", await bad.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_live_entries_are_those_after_the_id_given_as_data_and_only_for_the_enterprises_admins(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        using var globexOwner = await ConsoleBrowser.SignedInOwnerAsync(host, globex.Enterprise, "owner@globex.example");
        await acme.ProvisionAsync("ann@acme.example");
        var first = Assert.Single(await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: false, limit: 10)).Id;

        var page = await PageAsync(owner, "/console/acme/log");
        Assert.Contains($"data-live-url=\"/console/acme/log/entries?after={first}\"", page);
        Assert.Empty(Entries(await JsonAsync(owner, $"/console/acme/log/entries?after={first}")));

        var bobId = (await acme.Scim!.PostAsync("Users", UserBody("<b>bob</b>@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();
        (await acme.Scim.GetAsync("Users/no-such-user")).AssertError(404);
        var news = await JsonAsync(owner, $"/console/acme/log/entries?after={first}");
        var entries = Entries(news);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.True(e["id"]!.GetValue<long>() > first));
        Assert.Equal("failed", entries[0]["outcome"]!.GetValue<string>()); // newest first
        Assert.Equal("<b>bob</b>@acme.example", entries[1]["target"]!.GetValue<string>()); // data, not HTML
        Assert.Equal(ConsoleUrls.Member("acme", bobId), entries[1]["targetUrl"]!.GetValue<string>());
        Assert.Equal(entries[0]["id"]!.GetValue<long>(), news["newest"]!.GetValue<long>());
        Assert.Single(Entries(await JsonAsync(owner, $"/console/acme/log/entries?after={first}&outcome=failed")));

        using (var refused = await globexOwner.GetAsync($"/console/acme/log/entries?after=0"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("acme.example", await refused.Content.ReadAsStringAsync());
        }
        using (var missing = await owner.GetAsync("/console/acme/log/entries"))
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using (var anonymous = new SamlBrowser(host.BaseAddress))
        using (var redirected = await anonymous.GetAsync("/console/acme/log/entries?after=0"))
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Another_enterprises_entries_never_appear_and_its_entry_ids_are_404(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        await acme.ProvisionAsync("ann@acme.example");
        await globex.ProvisionAsync("gina@globex.example");
        (await globex.Scim!.GetAsync("Users/globex-missing")).AssertError(404);
        var globexEntry = (await host.Directory.Log.QueryAsync(globex.Enterprise, failedOnly: true, limit: 1))[0].Id;

        var page = await PageAsync(owner, "/console/acme/log");
        Assert.Equal(1, Rows(page));
        Assert.DoesNotContain("globex", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Rows(await PageAsync(owner, "/console/acme/log?member=gina%40globex.example")));
        Assert.Empty(Entries(await JsonAsync(owner, "/console/acme/log/entries?after=0&member=gina%40globex.example")));
        using (var export = await owner.GetAsync("/console/acme/log/export.csv"))
            Assert.DoesNotContain("globex", await export.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var foreign = await owner.GetAsync(ConsoleUrls.LogEntry("acme", globexEntry));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Contains("no entry with this number", await foreign.Content.ReadAsStringAsync());
        using var viaOtherSlug = await owner.GetAsync(ConsoleUrls.LogEntry("globex", globexEntry));
        Assert.Equal(HttpStatusCode.Forbidden, viaOtherSlug.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_create_refused_for_a_bad_value_names_the_person_and_the_value_and_keeps_no_password(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var refused = await acme.Scim!.PostAsync("Users",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"zed@acme.example","password":"{{Password}}","active":"perhaps"}""");
        var error = refused.AssertError(400);

        var failure = Assert.Single(await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: 10));
        Assert.Equal("zed@acme.example", failure.TargetName);
        var html = WebUtility.HtmlDecode(await PageAsync(owner, "/console/acme/log"));
        Assert.Contains($"Okta tried to create zed@acme.example with a ", html);
        Assert.Contains(error["detail"]!.GetValue<string>().TrimEnd('.'), html);
        var entry = WebUtility.HtmlDecode(await PageAsync(owner, ConsoleUrls.LogEntry("acme", failure.Id)));
        Assert.DoesNotContain(Password, entry);
        Assert.Contains("\"active\": \"perhaps\"", entry);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_overview_links_its_failures_to_the_log_filtered_on_failures_of_the_last_24_hours(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        (await acme.Scim!.GetAsync("Users/no-such-user")).AssertError(404);
        var overview = await PageAsync(owner, "/console/acme");
        Assert.Contains("href=\"/console/acme/log?outcome=failed&amp;range=24h\"", overview);
        var log = await PageAsync(owner, "/console/acme/log?outcome=failed&range=24h");
        Assert.Equal(1, Rows(log));
        Assert.Contains("<option value=\"24h\" selected=\"selected\">", log);
    }

    static async Task<string> PageAsync(SamlBrowser browser, string path)
    {
        using var page = await browser.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {(int)page.StatusCode} {html}");
        return html;
    }

    static async Task<JsonObject> JsonAsync(SamlBrowser browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    static List<JsonObject> Entries(JsonObject data) => data["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();

    static int Rows(string html) => html.Split("data-entry-id=").Length - 1;
}
