using System.Net;
using Roster.Directory.AdminConsole;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>An owner's break-glass password at /console/sign-in: it works, a wrong one is refused in
/// words that do not tell whether the account exists, guessing is throttled in the database, and no
/// form is accepted without its antiforgery token.</summary>
public sealed class PasswordSignInTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_right_password_signs_in_and_a_wrong_one_is_refused(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "olga@acme.example");
        using var browser = new SamlBrowser(host.BaseAddress);

        using (var wrong = await browser.SignInWithPasswordAsync("acme", "olga@acme.example", "not the password at all"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("The organisation, email or password is not right.", await wrong.Content.ReadAsStringAsync());
        }
        Assert.Null(browser.Cookie("roster_console"));

        using (var right = await browser.SubmitAsync("/console/sign-in?returnUrl=%2Fconsole%2Facme",
                   [new("enterprise", "acme"), new("Email", "OLGA@acme.example"), new("Password", ConsoleBrowser.Password), new("returnUrl", "/console/acme")]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
            Assert.Equal("/console/acme", right.Headers.Location!.OriginalString);
        }
        using (var overview = await browser.GetAsync("/console"))
        {
            Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
            Assert.Equal("/console/acme", overview.Headers.Location!.OriginalString);
        }

        // Sign-out ends the session: the old cookie no longer opens the console.
        var secret = browser.Cookie("roster_console")!;
        using (var signOut = await browser.SubmitAsync("/console/sign-out", []))
            Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Null(await host.Directory.ConsoleSessions.ValidateAsync(secret));
        browser.SetCookie("roster_console", secret);
        using var after = await browser.GetAsync("/console/acme");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task After_five_failures_an_account_is_refused_until_the_window_passes_and_an_unknown_email_gets_the_same_answers(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "olga@acme.example");
        using var browser = new SamlBrowser(host.BaseAddress);

        var known = await FailFiveTimesThenTryAsync(browser, "olga@acme.example", ConsoleBrowser.Password);
        var unknown = await FailFiveTimesThenTryAsync(browser, "nobody@acme.example", "whatever it may be");

        Assert.Equal(known, unknown);
        Assert.Null(browser.Cookie("roster_console")); // the right password, too late: refused
        // Another account is not affected (the client address has room left).
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "oscar@acme.example");
        using var other = await browser.SignInWithPasswordAsync("acme", "oscar@acme.example", ConsoleBrowser.Password);
        Assert.Equal(HttpStatusCode.SeeOther, other.StatusCode);
    }

    /// <summary>Five wrong passwords, then <paramref name="last"/>: the statuses and messages seen.</summary>
    static async Task<List<string>> FailFiveTimesThenTryAsync(SamlBrowser browser, string email, string last)
    {
        var seen = new List<string>();
        for (var i = 0; i < PasswordThrottle.AccountLimit; i++)
        {
            using var wrong = await browser.SignInWithPasswordAsync("acme", email, $"wrong password number {i}");
            seen.Add($"{(int)wrong.StatusCode} {ConsoleBrowser.TextOf(await wrong.Content.ReadAsStringAsync(), "sign-in-error")}");
        }
        using var throttled = await browser.SignInWithPasswordAsync("acme", email, last);
        var message = ConsoleBrowser.TextOf(await throttled.Content.ReadAsStringAsync(), "sign-in-error");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Matches(@"^Too many failed sign-ins\. Try again at \d\d:\d\d UTC\.$", message);
        seen.Add($"{(int)throttled.StatusCode} {System.Text.RegularExpressions.Regex.Replace(message, @"\d\d:\d\d", "HH:MM")}");
        Assert.All(seen.Take(5), s => Assert.Equal("400 The organisation, email or password is not right.", s));
        return seen;
    }

    [Fact]
    public async Task The_throttle_counts_the_failures_every_instance_records_and_forgets_them_after_the_window()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var throttle = new PasswordThrottle(new Roster.Directory.Storage.RosterDatabase(host.Options), clock);
        var key = PasswordThrottle.AccountKey("acme", "Olga@Acme.example");
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await throttle.RefusedUntilAsync(key, "192.0.2.1"));
            await throttle.RecordFailureAsync(key, "192.0.2.1");
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        // Another instance (the server's own directory) sees the same count.
        Assert.NotNull(await host.Directory.PasswordThrottle.RefusedUntilAsync(PasswordThrottle.AccountKey("ACME", "olga@acme.example"), "198.51.100.7"));
        var until = await throttle.RefusedUntilAsync(key, "192.0.2.1");
        Assert.NotNull(until);

        clock.Advance(until!.Value - clock.GetUtcNow());
        Assert.Null(await throttle.RefusedUntilAsync(key, "192.0.2.1"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_post_without_the_antiforgery_token_is_refused(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme, "olga@acme.example");
        var (_, link) = await host.Directory.Owners.CreateAsync(acme, "oscar@acme.example", null);
        using var browser = new SamlBrowser(host.BaseAddress);
        using (await browser.GetAsync("/console/sign-in")) { } // holds the antiforgery cookie, but posts no token

        using var signIn = await browser.PostFormAsync("/console/sign-in",
            [new("enterprise", "acme"), new("Email", "olga@acme.example"), new("Password", ConsoleBrowser.Password)]);
        using var setup = await browser.PostFormAsync("/console/setup?token=" + Uri.EscapeDataString(link.Token),
            [new("Password", ConsoleBrowser.Password), new("ConfirmPassword", ConsoleBrowser.Password)]);
        using var signOut = await browser.PostFormAsync("/console/sign-out", []);

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, setup.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Null(browser.Cookie("roster_console"));
        Assert.NotNull(await host.Directory.SetupLinks.FindUsableAsync(link.Token)); // the link was not used
        var antiforgery = Assert.Single(browser.SetCookies, c => c.StartsWith("roster_console_antiforgery=", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);
    }
}
