using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.AdminConsole;
using Roster.Directory.Enterprises;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The console as a browser uses it over HTTP: pages fetched, forms posted with the
/// antiforgery token the page carried, and cookies kept (<see cref="SamlBrowser"/>).</summary>
public static partial class ConsoleBrowser
{
    public const string Password = "correct horse battery staple";

    /// <summary>GETs <paramref name="path"/> and posts its form back with <paramref name="fields"/>
    /// and the page's antiforgery token, to <paramref name="action"/> (default: the page itself).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this SamlBrowser browser, string path, IEnumerable<KeyValuePair<string, string>> fields,
        string? action = null)
    {
        using var page = await browser.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, $"No antiforgery field in {path} ({(int)page.StatusCode}): {html}");
        return await browser.PostFormAsync(action ?? path, [.. fields, new("__antiforgery", WebUtility.HtmlDecode(token.Groups[1].Value))]);
    }

    public static Task<HttpResponseMessage> SignInWithPasswordAsync(this SamlBrowser browser, string slug, string email, string password) =>
        browser.SubmitAsync("/console/sign-in", [new("enterprise", slug), new("Email", email), new("Password", password)]);

    /// <summary>An owner account of <paramref name="enterprise"/> with <see cref="Password"/> set, through its link.</summary>
    public static async Task<ConsoleOwner> OwnerWithPasswordAsync(RosterTestHost host, Enterprise enterprise, string email)
    {
        var (owner, link) = await host.Directory.Owners.CreateAsync(enterprise, email, null);
        Assert.NotNull(await host.Directory.SetupLinks.CompleteOwnerAsync(link.Token, PasswordHasher.Hash(Password)));
        return owner;
    }

    /// <summary>The enterprise's audit entries, newest first, but for those of owners setting their
    /// passwords through their links: every owner these tests sign in as did so in its set-up
    /// (<see cref="OwnerWithPasswordAsync"/>), which is audited (ConsoleAuditTests proves it); the
    /// tests look at what the owner did afterwards.</summary>
    public static async Task<List<Roster.Directory.Audit.AdminAuditEntry>> AuditAfterSetUpAsync(RosterTestHost host, Enterprise enterprise, int limit) =>
        (await host.Directory.Audit.ListAsync(enterprise, limit + 10)).Where(e => e.Action != Roster.Directory.Audit.AdminAction.OwnerPasswordSet).Take(limit).ToList();

    /// <summary>A browser signed in as a new owner account of <paramref name="enterprise"/>.</summary>
    public static async Task<SamlBrowser> SignedInOwnerAsync(RosterTestHost host, Enterprise enterprise, string email = "owner@acme.example")
    {
        await OwnerWithPasswordAsync(host, enterprise, email);
        var browser = new SamlBrowser(host.BaseAddress);
        using var signedIn = await browser.SignInWithPasswordAsync(enterprise.Slug, email, Password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return browser;
    }

    /// <summary>The text of the element with this id on the page (tags removed).</summary>
    public static string TextOf(string html, string id)
    {
        var match = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</(p|dd|div)>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No element #{id} in: {html}");
        return WebUtility.HtmlDecode(Regex.Replace(match.Groups[1].Value, "<[^>]+>", "")).Trim();
    }

    [GeneratedRegex("name=\"__antiforgery\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
