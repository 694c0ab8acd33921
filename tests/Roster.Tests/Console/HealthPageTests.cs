using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Roster.Directory.Health;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>
/// Connection health over HTTP and the command line: a healthy Okta connection names Okta and has no
/// problem; a revoked token still sent and SCIM turned off while the IdP calls are each diagnosed in
/// words; the self-test runs the whole lifecycle against this very server and leaves nothing behind,
/// on a healthy set-up and on a broken one. Plain members get 403.
/// </summary>
public sealed class HealthPageTests(ITestOutputHelper output)
{
    const string Page = "/console/acme/health";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Okta_provisioning_that_succeeds_names_Okta_and_has_no_problem(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        (await acme.Scim!.GetAsync("Users?filter=userName%20eq%20%22bob%40acme.example%22")).AssertOk();

        var json = await HealthJsonAsync(host);
        Assert.Equal("Okta", json["idp"]!.GetValue<string>());
        Assert.NotNull(json["lastRequestAt"]);
        // The log keeps every change and every failure; a successful read is not logged.
        Assert.Equal(1, json["last24h"]!["requests"]!.GetValue<long>());
        Assert.Equal(0, json["last24h"]!["failures"]!.GetValue<long>());
        Assert.DoesNotContain(json["findings"]!.AsArray(), f => f!["severity"]!.GetValue<string>() == HealthFinding.Problem);
        Assert.Contains(json["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "requests.ok");
        Assert.True(json["saml"]!["configured"]!.GetValue<bool>());
        Assert.Equal(2, json["saml"]!["certificates"]!.AsArray().Count); // the IdP's and Roster's own

        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var html = await PageAsync(owner);
        Assert.Equal("Okta", ConsoleBrowser.TextOf(html, "health-idp"));
        Assert.Equal("1", ConsoleBrowser.TextOf(html, "health-requests"));
        Assert.DoesNotContain("badge-bad", html);
        Assert.Contains("OK Okta is calling: 1 request in the last 24 hours, 0 failed.", Findings(html));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_revoked_token_still_sent_is_diagnosed_with_the_day_it_was_revoked(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        var okta = Assert.Single(await host.Directory.Tokens.ListAsync(acme.Enterprise));
        var revoked = await host.Directory.Tokens.RevokeAsync(acme.Enterprise, okta.Id);
        (await acme.Scim!.GetAsync("Users")).AssertError(401);
        (await acme.Scim.GetAsync("Groups")).AssertError(401);

        var entry = (await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: 1)).Single();
        Assert.Equal(okta.Id, entry.TokenId); // the log names the revoked token the IdP still sends

        var expected = $"2 requests in the last 24 hours got 401 because Okta still sends a token that was revoked on " +
                       $"{HealthDiagnosis.Day(revoked.RevokedAt!.Value)} (token 'Okta'): create a new token and paste it into Okta.";
        var json = await HealthJsonAsync(host);
        var finding = Assert.Single(json["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "token.revoked-in-use")!;
        Assert.Equal(HealthFinding.Problem, finding["severity"]!.GetValue<string>());
        Assert.Equal(expected, finding["text"]!.GetValue<string>());
        Assert.Equal(2, json["last24h"]!["failures"]!.GetValue<long>());

        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var html = await PageAsync(owner);
        var findings = Findings(html);
        Assert.Equal("Problem " + expected, findings[0]);
        output.WriteLine("PAGE (revoked token):\n" + string.Join("\n", findings));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SCIM_turned_off_while_the_IdP_calls_is_diagnosed_as_the_403s(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        await host.Directory.ScimActivation.DisableAsync(acme.Enterprise);
        (await acme.Scim!.GetAsync("Users")).AssertError(403);

        var json = await HealthJsonAsync(host);
        Assert.False(json["scimEnabled"]!.GetValue<bool>());
        var finding = Assert.Single(json["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "scim.off-but-called")!;
        Assert.Equal(HealthFinding.Problem, finding["severity"]!.GetValue<string>());
        Assert.Equal("SCIM is off but Okta is calling: 1 request in the last 24 hours got 403. Turn SCIM on on the SCIM page " +
                     "(once SAML sign-in works), or turn provisioning off in the IdP.", finding["text"]!.GetValue<string>());
        var byKind = json["last24h"]!["byKind"]!.AsArray();
        Assert.Contains(byKind, k => k!["status"]!.GetValue<int>() == 403 && k["kind"]!.GetValue<string>() == RequestKinds.ScimOff);

        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var findings = Findings(await PageAsync(owner));
        Assert.StartsWith("Problem SCIM is off but Okta is calling", findings[0]);
        output.WriteLine("PAGE (SCIM off):\n" + string.Join("\n", findings));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_self_test_on_a_healthy_set_up_passes_every_step_and_leaves_nothing_behind(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using var response = await owner.SubmitAsync(Page, [], Page + "?handler=SelfTest");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var steps = Steps(html);
        Assert.Equal(10, steps.Count);
        Assert.All(steps, step => Assert.True(step.Result == "Pass", $"{step.Name}: {step.Detail}"));
        Assert.StartsWith("Passed All 10 steps passed", ConsoleBrowser.TextOf(html, "self-test-summary"));

        await AssertNothingRemainsAsync(host, acme);
        // The traffic is in the log as the self-test's, and is not taken for the IdP's.
        var log = await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: false, limit: 100);
        // Every step but the find, a successful read, which the log does not keep.
        Assert.Equal(9, log.Count(e => e.Client == ConnectionHealth.SelfTestUserAgent));
        var json = await HealthJsonAsync(host);
        Assert.Equal("Okta", json["idp"]!.GetValue<string>());
        Assert.Equal(1, json["last24h"]!["requests"]!.GetValue<long>());
        // The token's creation and revocation are audited under the self-test's name.
        var audit = await host.Directory.Audit.ListAsync(acme.Enterprise, 10);
        Assert.Equal(2, audit.Count(a => a.Summary.Contains("'Roster self-test'", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_self_test_with_SCIM_off_fails_with_the_403_reason_and_leaves_nothing_behind(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host, scimEnabled: false);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using var response = await owner.SubmitAsync(Page, [], Page + "?handler=SelfTest");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var steps = Steps(html);
        Assert.Equal(10, steps.Count);
        Assert.Equal(("Create the test member", "Fail", "403"), (steps[0].Name, steps[0].Result, steps[0].Status));
        Assert.Equal("expected 201, got 403: SCIM provisioning is turned off for enterprise 'acme'. An owner or admin turns it on with " +
                     "`roster scim enable --enterprise acme` once SAML sign-in works.", steps[0].Detail);
        Assert.All(steps.Skip(1), step => Assert.Equal(("Fail", "not run: the test member was not created"), (step.Result, step.Detail)));
        Assert.StartsWith("Failed 0 of 10 steps passed", ConsoleBrowser.TextOf(html, "self-test-summary"));
        output.WriteLine("SELF-TEST (SCIM off):\n" + string.Join("\n", steps.Select(s => $"{s.Name} | {s.Result} | {s.Status} | {s.Detail}")));

        await AssertNothingRemainsAsync(host, acme);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_token_sent_to_another_enterprises_URL_is_told_to_its_own_enterprise_only(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await host.CreateEnterpriseAsync("Globex");
        // Globex's IdP set up with Acme's base URL, then with a URL of no enterprise at all.
        using var misdirected = host.Client(acme.Enterprise, $"Bearer {globex.Token}");
        var atAcme = await new ScimClient(misdirected, acme.Enterprise, globex.Token).GetAsync("Users");
        atAcme.AssertError(401);
        using var nowhere = new HttpClient { BaseAddress = new Uri(host.BaseAddress, "/scim/v2/globex-typo/") };
        nowhere.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {globex.Token}");
        nowhere.DefaultRequestHeaders.UserAgent.ParseAdd("Okta-SCIM-Client/1.0.0");
        Assert.Equal(HttpStatusCode.Unauthorized, (await nowhere.GetAsync("Groups")).StatusCode);

        // The caller learns nothing: the same answer as for a made-up token.
        var madeUp = await new ScimClient(host.Client(acme.Enterprise, "Bearer rst_madeup"), acme.Enterprise, "rst_madeup").GetAsync("Users");
        Assert.Equal(madeUp.Json["detail"]!.GetValue<string>(), atAcme.Json["detail"]!.GetValue<string>());

        // Acme's log says only that the token is not one of Acme's.
        var acmeEntries = await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: 10);
        Assert.Equal(2, acmeEntries.Count);
        Assert.All(acmeEntries, e => Assert.Equal("the bearer token is not a token of this enterprise", e.Reason));
        Assert.All(acmeEntries, e => Assert.Null(e.TokenId));
        Assert.DoesNotContain("globex", string.Join(" ", acmeEntries.Select(e => e.Path + e.Reason)), StringComparison.OrdinalIgnoreCase);

        // Globex's log has both, without the path's enterprise; its health names the mistake.
        var globexEntries = await host.Directory.Log.QueryAsync(globex.Enterprise, failedOnly: true, limit: 10);
        Assert.Equal(["/scim/v2/…/Groups", "/scim/v2/…/Users"], globexEntries.Select(e => e.Path));
        Assert.All(globexEntries, e => Assert.Equal(401, e.HttpStatus));
        var result = await CliRunner.RunAsync(host.StoreArguments, "health", "--enterprise", "globex");
        var finding = Assert.Single(result.Json["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "url.other-enterprise")!;
        Assert.Equal("2 requests in the last 24 hours arrived at another enterprise's SCIM URL with this enterprise's token (token 'Okta'): " +
                     "set the SCIM base URL in Okta to this enterprise's, /scim/v2/globex on Roster's address.", finding["text"]!.GetValue<string>());

        var acmeHealth = await HealthJsonAsync(host);
        Assert.Contains(acmeHealth["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "token.unknown");
        Assert.DoesNotContain("globex", acmeHealth.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_plain_member_gets_403_and_runs_no_self_test()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("bob@acme.example");
        using var bob = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");

        using (var refused = await bob.GetAsync(Page))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("You don't have access to this page", html);
            Assert.DoesNotContain("findings", html);
        }
        using (var refusedPost = await bob.SubmitAsync(Page, [], Page + "?handler=SelfTest"))
            Assert.Equal(HttpStatusCode.Forbidden, refusedPost.StatusCode);
        Assert.Equal(["Okta"], (await host.Directory.Tokens.ListAsync(acme.Enterprise)).Select(t => t.Name));

        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        using (var withoutToken = await owner.PostFormAsync(Page + "?handler=SelfTest", []))
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(["Okta"], (await host.Directory.Tokens.ListAsync(acme.Enterprise)).Select(t => t.Name));
    }

    async Task<JsonObject> HealthJsonAsync(RosterTestHost host)
    {
        var result = await CliRunner.RunAsync(host.StoreArguments, "health", "--enterprise", "acme");
        Assert.True(result.ExitCode == 0, result.Error);
        output.WriteLine("CLI:\n" + result.Out);
        return result.Json.AsObject();
    }

    static async Task AssertNothingRemainsAsync(RosterTestHost host, SamlTestEnterprise acme)
    {
        var (_, members) = await host.Directory.Members.ListAsync(acme.Enterprise, null, 1, 100);
        Assert.DoesNotContain(members, m => m.UserName.StartsWith("roster-self-test-", StringComparison.Ordinal));
        var (groups, _) = await host.Directory.Groups.ListAsync(acme.Enterprise, null, 1, 100);
        Assert.Equal(0, groups);
        var selfTestTokens = (await host.Directory.Tokens.ListAsync(acme.Enterprise)).Where(t => t.Name == "Roster self-test").ToList();
        Assert.Single(selfTestTokens);
        Assert.NotNull(selfTestTokens[0].RevokedAt);
    }

    static async Task<string> PageAsync(SamlBrowser owner)
    {
        using var page = await owner.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    /// <summary>The findings as the page shows them: the badge's word, then the text.</summary>
    static List<string> Findings(string html) =>
        Regex.Matches(html, "<li data-code=\"[^\"]+\">(.*?)</li>", RegexOptions.Singleline)
            .Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", "")).Trim()).ToList();

    sealed record Step(string Name, string Result, string Status, string Detail);

    static List<Step> Steps(string html)
    {
        var body = Regex.Match(html, "<table class=\"listing\" id=\"self-test-steps\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        Assert.True(body.Success, $"No self-test results in: {html}");
        return Regex.Matches(body.Groups[1].Value, "<tr>(.*?)</tr>", RegexOptions.Singleline).Select(row =>
        {
            var cells = Regex.Matches(row.Groups[1].Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", "")).Trim()).ToList();
            return new Step(cells[0], cells[1], cells[2], cells[4]);
        }).ToList();
    }
}
