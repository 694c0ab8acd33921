using System.Net;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>Owner accounts from the command line and their one-time set-up links: a link sets the
/// password once, within 24 hours, and signs the owner in.</summary>
public sealed class OwnerSetupTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Owner_create_prints_a_link_that_sets_the_password_once(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");

        var created = await CliRunner.RunAsync(host.StoreArguments, "owner", "create", "--enterprise", "acme", "--email", "Olga@Acme.example",
            "--name", "Olga Owner", "--public-url", host.BaseAddress.ToString());

        Assert.True(created.ExitCode == 0, created.Error);
        var json = created.Json;
        Assert.Equal("acme", json["enterprise"]!.GetValue<string>());
        Assert.Equal("Olga@Acme.example", json["email"]!.GetValue<string>());
        Assert.Equal("Olga Owner", json["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["id"]!.GetValue<string>()));
        Assert.NotNull(json["expiresAt"]);
        var setupUrl = new Uri(json["setupUrl"]!.GetValue<string>());
        Assert.Equal(new Uri(host.BaseAddress, "/console/setup").AbsoluteUri, setupUrl.GetLeftPart(UriPartial.Path));
        var path = setupUrl.PathAndQuery;
        var token = Uri.UnescapeDataString(setupUrl.Query["?token=".Length..]);

        using var browser = new SamlBrowser(host.BaseAddress);
        using (var page = await browser.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Olga@Acme.example", html);
            Assert.DoesNotContain(token, html); // the form posts back to the address; the page never carries the token
        }

        // Too short, then two that differ: refused, and the link still works.
        using (var refused = await browser.SubmitAsync(path, [new("Password", "short"), new("ConfirmPassword", "short")]))
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using (var refused = await browser.SubmitAsync(path, [new("Password", ConsoleBrowser.Password), new("ConfirmPassword", ConsoleBrowser.Password + "!")]))
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using (var set = await browser.SubmitAsync(path, [new("Password", ConsoleBrowser.Password), new("ConfirmPassword", ConsoleBrowser.Password)]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, set.StatusCode);
            Assert.Equal("/console/acme", set.Headers.Location!.OriginalString);
        }
        var cookie = Assert.Single(browser.SetCookies, c => c.StartsWith("roster_console=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using (var overview = await browser.GetAsync("/console/acme"))
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);

        // The second use, by anyone: refused, without the form.
        using var other = new SamlBrowser(host.BaseAddress);
        using (var again = await other.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
            Assert.DoesNotContain("type=\"password\"", await again.Content.ReadAsStringAsync());
        }
        using (var again = await browser.SubmitAsync("/console/sign-in", [new("Password", "another password entirely"), new("ConfirmPassword", "another password entirely")], action: path))
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);

        // The password works; the list shows it set and never a hash.
        using var signIn = new SamlBrowser(host.BaseAddress);
        using (var signedIn = await signIn.SignInWithPasswordAsync("acme", "olga@acme.example", ConsoleBrowser.Password))
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var list = await CliRunner.RunAsync(host.StoreArguments, "owner", "list", "--enterprise", "acme");
        Assert.True(list.ExitCode == 0, list.Error);
        var owner = Assert.Single(list.Json.AsArray())!;
        Assert.True(owner["passwordSet"]!.GetValue<bool>());
        Assert.NotNull(owner["lastSignInAt"]);
        Assert.DoesNotContain("pbkdf2", list.Out);
        Assert.DoesNotContain("hash", list.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_set_up_link_older_than_24_hours_is_refused(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        // The link made 25 hours ago, by a directory whose clock says so.
        var past = new Roster.Directory.RosterDirectory(host.Options, new ManualClock(DateTimeOffset.UtcNow - TimeSpan.FromHours(25)));
        var (_, link) = await past.Owners.CreateAsync(acme, "olga@acme.example", null);

        using var browser = new SamlBrowser(host.BaseAddress);
        using var page = await browser.GetAsync("/console/setup?token=" + Uri.EscapeDataString(link.Token));
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("has been used already or has expired", await page.Content.ReadAsStringAsync());
        Assert.Null(await host.Directory.SetupLinks.CompleteOwnerAsync(link.Token, "pbkdf2-sha256$600000$x$y"));
    }

    [Fact]
    public async Task Owner_create_refuses_a_second_account_with_the_same_email_in_any_case()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        await host.Directory.Enterprises.CreateAsync("Acme");
        Assert.Equal(0, (await CliRunner.RunAsync(host.StoreArguments, "owner", "create", "--enterprise", "acme", "--email", "olga@acme.example")).ExitCode);

        var again = await CliRunner.RunAsync(host.StoreArguments, "owner", "create", "--enterprise", "acme", "--email", "OLGA@acme.example");

        Assert.Contains("already has an owner", again.AssertFailed());
    }
}
