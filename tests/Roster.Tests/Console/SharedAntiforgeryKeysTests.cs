using System.Net;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>Several Roster instances on one PostgreSQL database share the data-protection keys that
/// antiforgery tokens are made with: a form one instance rendered is accepted by another.</summary>
public sealed class SharedAntiforgeryKeysTests
{
    [Fact]
    public async Task A_form_rendered_by_one_instance_is_accepted_by_another()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Postgres);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "olga@acme.example");
        var otherDirectory = await Roster.Directory.RosterDirectory.OpenAsync(host.Options);
        await using var other = await Roster.Hosting.RosterServer.StartAsync(otherDirectory, "http://127.0.0.1:0", quiet: true);

        using var first = new SamlBrowser(host.BaseAddress);
        using var page = await first.GetAsync("/console/sign-in");
        var token = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__antiforgery\" type=\"hidden\" value=\"([^\"]+)\"")
            .Groups[1].Value;
        using var second = new SamlBrowser(new Uri(other.Addresses[0]));
        second.SetCookie("roster_console_antiforgery", first.Cookie("roster_console_antiforgery")!);

        using var signedIn = await second.PostFormAsync("/console/sign-in",
            [new("enterprise", "acme"), new("Email", "olga@acme.example"), new("Password", ConsoleBrowser.Password), new("__antiforgery", token)]);

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
    }
}
