using System.Net;
using Roster.Testing;
using Roster.Tests.AdminConsole;

namespace Roster.Tests.Isolation;

/// <summary>A POST (with a valid antiforgery token) to a console page that only shows is a 405 naming
/// the methods it takes: found by ConsoleIsolationTests, where it was a 500 for every such page.</summary>
public sealed class ConsoleUnhandledMethodTests
{
    [Fact]
    public async Task A_POST_to_a_page_without_a_POST_handler_is_405_with_Allow_not_500()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);
        foreach (var page in new[] { "/console/acme", "/console/acme/members", "/console/acme/log", "/console/acme/audit" })
        {
            using var refused = await owner.SubmitAsync("/console/acme/scim", [], action: page);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
            Assert.Equal("GET, HEAD", string.Join(", ", refused.Content.Headers.Allow));
        }
        // A page with a POST handler still takes its POST.
        using var own = await owner.GetAsync("/console/acme/scim");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }
}
