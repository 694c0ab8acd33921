using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Roster.Directory.Roles;
using Roster.Testing;
using Roster.Tests.AdminConsole;
using Roster.Tests.Saml;

namespace Roster.Tests.Isolation;

/// <summary>
/// Every console page under /console/{slug} (read from the server's endpoint data source, so that a
/// page added later is probed too), asked by a member who is an admin of enterprise A (signed in by
/// SAML) for enterprise B's slug, or for B's member, group and log entry ids under A's slug, by GET and
/// by POST with A's antiforgery token: each answer is the page for a slug or id that exists nowhere,
/// names nothing of B, and B's rows are the same after as before.
/// </summary>
public sealed partial class ConsoleIsolationTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_member_admin_of_A_asking_the_console_for_Bs_slug_or_ids_sees_what_an_unknown_one_shows(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        (await acme.Scim!.PostAsync("Groups",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Roster Admins","members":[{"value":"{{annId}}"}]}""")).AssertOk(201);
        await host.Directory.Roles.MapAsync(acme.Enterprise, "Roster Admins", EnterpriseRole.Admin);

        var beta = await host.CreateEnterpriseAsync("Beta");
        var betaMembers = new List<string>();
        foreach (var user in new[] { "ann", "bob" })
            betaMembers.Add((await beta.PostAsync("Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{user}}@beta.example"}"""))
                .AssertOk(201)["id"]!.GetValue<string>());
        var betaGroup = (await beta.PostAsync("Groups",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"beta Engineering","members":[{"value":"{{betaMembers[0]}}"}]}"""))
            .AssertOk(201)["id"]!.GetValue<string>();
        (await beta.PostAsync("Users", "{}")).AssertError(400);
        await ConsoleBrowser.OwnerWithPasswordAsync(host, beta.Enterprise, "owner@beta.example");
        var betaLog = (await host.Directory.Log.QueryAsync(beta.Enterprise, failedOnly: false, limit: 100)).Select(e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        using var ann = await ConsoleAccessTests.SignedInBySamlAsync(acme, "ann@acme.example");
        string antiforgery;
        using (var own = await ann.GetAsync("/console/acme/scim"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            antiforgery = WebUtility.HtmlDecode(AntiforgeryField().Match(await own.Content.ReadAsStringAsync()).Groups[1].Value);
        }

        List<string> pages;
        await using (var instance = await host.StartAnotherInstanceAsync())
        {
            pages = instance.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Select(e => "/" + e.RoutePattern.RawText!.Trim('/')).Where(p => p.StartsWith("/console/{slug}", StringComparison.Ordinal)).Distinct().Order().ToList();
        }
        Assert.Contains("/console/{slug}/members/{id}", pages);

        var before = await DatabaseSnapshot.TakeAsync(host.Directory.Database, beta.Enterprise.Id);
        var requests = 0;
        async Task<string> ShapeAsync(HttpMethod method, string path, string probe)
        {
            using var response = method == HttpMethod.Post
                ? await ann.PostFormAsync(path, [new("__antiforgery", antiforgery), new("tokenId", probe), new("id", probe), new("group", probe)])
                : await ann.GetAsync(path);
            requests++;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode} {body}");
            var text = probe.Length == 0 ? WithoutAntiforgery(body) : WithoutAntiforgery(body).Replace(probe, "{PROBE}", StringComparison.Ordinal);
            Assert.DoesNotContain("beta", text, StringComparison.OrdinalIgnoreCase);
            foreach (var id in betaMembers.Append(betaGroup).Append(beta.Enterprise.Id)) Assert.DoesNotContain(id, text);
            return $"{(int)response.StatusCode} {response.Headers.Location}\n{text}";
        }

        var compared = 0;
        foreach (var page in pages)
        {
            var (ofB, nowhere) = page switch
            {
                _ when page.EndsWith("/members/{id}", StringComparison.Ordinal) => (betaMembers, Roster.Directory.Identifiers.NewId()),
                _ when page.EndsWith("/groups/{id}", StringComparison.Ordinal) => ([betaGroup], Roster.Directory.Identifiers.NewId()),
                _ when page.EndsWith("/log/{id:long}", StringComparison.Ordinal) => (betaLog, "987654321"),
                _ when page.IndexOf('{', page.IndexOf('}')) < 0 => (new List<string> { "" }, ""),
                _ => throw new Xunit.Sdk.XunitException($"Console page {page} has a parameter this test does not know: say which of B's ids it takes."),
            };
            var idParameter = page.IndexOf("{id", StringComparison.Ordinal) is var at and >= 0 ? page[at..(page.IndexOf('}', at) + 1)] : null;
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            foreach (var id in ofB)
            {
                string Path(string slug, string value) => idParameter is null ? page.Replace("{slug}", slug) : page.Replace("{slug}", slug).Replace(idParameter, value);
                // B's slug, with B's own ids: the page of an enterprise that does not exist.
                Assert.Equal(await ShapeAsync(method, Path("zeta", nowhere), nowhere), await ShapeAsync(method, Path("beta", id), id));
                // A's slug, B's id: the page of an id that does not exist.
                if (idParameter is not null) Assert.Equal(await ShapeAsync(method, Path("acme", nowhere), nowhere), await ShapeAsync(method, Path("acme", id), id));
                compared++;
            }
        }

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(host.Directory.Database, beta.Enterprise.Id));
        output.WriteLine($"{pages.Count} console pages, {compared} comparisons, {requests} requests as A's member-admin; B unchanged");
    }

    static string WithoutAntiforgery(string html) => AntiforgeryField().Replace(html, "");

    [GeneratedRegex("name=\"__antiforgery\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
