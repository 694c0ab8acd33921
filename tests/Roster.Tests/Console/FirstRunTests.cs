using System.Net;
using Roster.AdminConsole;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The first run: the link `roster serve` prints while nobody owns anything creates the
/// organisation and its owner, signed in; once an owner exists, no first-run link is made or accepted.</summary>
public sealed class FirstRunTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_first_run_link_creates_the_organisation_and_its_owner_once(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var publicBaseUrl = host.BaseAddress.ToString().TrimEnd('/');
        var earlier = await FirstRunLink.CreateAsync(host.Directory, publicBaseUrl);
        var line = await FirstRunLink.CreateAsync(host.Directory, publicBaseUrl);
        Assert.NotNull(line);
        var path = PathOf(line);

        using var retired = new SamlBrowser(host.BaseAddress);
        using (var old = await retired.GetAsync(PathOf(earlier!)))
            Assert.Equal(HttpStatusCode.Gone, old.StatusCode); // only the newest link printed works

        using var browser = new SamlBrowser(host.BaseAddress);
        using (var missingName = await browser.SubmitAsync(path, [new("Email", "olga@acme.example"), new("Password", ConsoleBrowser.Password),
                   new("ConfirmPassword", ConsoleBrowser.Password)]))
            Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
        using (var created = await browser.SubmitAsync(path, [new("OrganisationName", "Acme Corp."), new("DisplayName", "Olga Owner"),
                   new("Email", "olga@acme.example"), new("Password", ConsoleBrowser.Password), new("ConfirmPassword", ConsoleBrowser.Password)]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
            Assert.Equal("/console/acme-corp", created.Headers.Location!.OriginalString);
        }
        using (var overview = await browser.GetAsync("/console/acme-corp"))
        {
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
            Assert.Contains("<h1>Acme Corp.</h1>", await overview.Content.ReadAsStringAsync());
        }
        var acme = await host.Directory.Enterprises.GetAsync("acme-corp");
        var owner = Assert.Single(await host.Directory.Owners.ListAsync(acme));
        Assert.Equal("olga@acme.example", owner.Email);
        Assert.True(owner.HasPassword);

        using (var again = await new SamlBrowser(host.BaseAddress).GetAsync(path))
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Null(await FirstRunLink.CreateAsync(host.Directory, publicBaseUrl));
    }

    static string PathOf(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"/console/setup\?token=rsl_[A-Za-z0-9_-]+");
        Assert.True(match.Success, line);
        return match.Value;
    }
}
