using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Testing;
using Roster.Tests.AdminConsole;
using Roster.Tests.Saml;

namespace Roster.Tests.Operations;

/// <summary>`roster serve --log-format json` as its own process: every line it writes is one JSON
/// object, and none of them holds a SCIM token, a password or a SAML message, whatever passed through.</summary>
public sealed class JsonLogTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Json_logs_are_one_object_a_line_and_hold_no_token_password_or_SAML_message(string kind)
    {
        // The set-up goes through an in-process host on the same database; the traffic through the
        // serve process, whose output is what the test reads.
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await ConsoleBrowser.OwnerWithPasswordAsync(host, acme.Enterprise, "olga@acme.example");
        const string wrongPassword = "Tr0ub4dor&3 is not it";

        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Roster.dll"), "serve", .. host.StoreArguments, "--urls", $"http://127.0.0.1:{port}",
             // The SAML set-up named the in-process host's address as Roster's public one; the serve
             // process answers for it, as instances behind one load balancer do.
             "--public-url", host.BaseAddress.ToString(), .. kind == TestDatabase.Sqlite ? ["--log-format", "json"] : Array.Empty<string>()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // One run asks by option, the other by the variable.
        start.Environment["ROSTER_LOG_FORMAT"] = kind == TestDatabase.Sqlite ? null : "json";
        using var server = Process.Start(start)!;
        var stdout = server.StandardOutput.ReadToEndAsync();
        var stderr = server.StandardError.ReadToEndAsync();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        string samlResponse;
        try
        {
            await WaitUntilServingAsync(baseAddress, server);

            // SCIM: a member provisioned, a wrong token refused.
            using (var scim = new HttpClient { BaseAddress = new Uri(baseAddress, acme.Enterprise.ScimPath + "/") })
            {
                scim.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {acme.Scim!.Token}");
                scim.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Okta SCIM Client 1.0.0");
                using var created = await scim.PostAsync("Users", new StringContent(
                    """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","active":true}""",
                    Encoding.UTF8, "application/scim+json"));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                using var wrong = new HttpRequestMessage(HttpMethod.Get, "Users");
                wrong.Headers.TryAddWithoutValidation("Authorization", "Bearer " + acme.Scim.Token[..^4] + "XXXX");
                Assert.Equal(HttpStatusCode.Unauthorized, (await scim.SendAsync(wrong)).StatusCode);
            }

            // SAML: a sign-in through the ACS, then the same response replayed (refused, and logged as such).
            using (var browser = new SamlBrowser(baseAddress))
            {
                var started = await browser.StartAsync(acme.Slug);
                samlResponse = acme.Respond(started.RequestId, "ann@acme.example").FormValue;
                using var signedIn = await browser.PostResponseAsync(acme.Slug, samlResponse, started.RelayState);
                Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
                using var replayed = await browser.PostResponseAsync(acme.Slug, samlResponse, started.RelayState);
                Assert.NotEqual(HttpStatusCode.SeeOther, replayed.StatusCode);
            }

            // The console: a wrong password, then the right one.
            using (var browser = new SamlBrowser(baseAddress))
            {
                using var refused = await browser.SignInWithPasswordAsync(acme.Slug, "olga@acme.example", wrongPassword);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                using var signedIn = await browser.SignInWithPasswordAsync(acme.Slug, "olga@acme.example", ConsoleBrowser.Password);
                Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            }
        }
        finally
        {
            // SIGTERM: the server stops as under an orchestrator, and flushes its log on the way out.
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await server.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
            }
        }
        var output = await stdout;
        var errors = await stderr;

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line =>
        {
            try
            {
                return JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"Not one JSON object: {line} ({e.Message})");
            }
        }).ToList();
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e["Category"]?.GetValue<string>())));
        Assert.Contains(entries, e => e["Category"]!.GetValue<string>() == "Roster.Serve" && e["Message"]!.GetValue<string>().Contains($"listening on http://127.0.0.1:{port}"));
        Assert.Contains(entries, e => e["Category"]!.GetValue<string>() == "Roster.Scim.Access" && e["Message"]!.GetValue<string>().StartsWith("POST /scim/v2/acme/Users 201"));
        Assert.Contains(entries, e => e["Category"]!.GetValue<string>().StartsWith("Roster.Saml") && e["Message"]!.GetValue<string>().Contains("SAML sign-in refused"));

        foreach (var text in new[] { output, errors })
        {
            Assert.DoesNotContain(acme.Scim!.Token, text);
            Assert.DoesNotContain(acme.Scim.Token[..^4], text); // nor the wrong one, which shares all but its end
            Assert.DoesNotContain(ConsoleBrowser.Password, text);
            Assert.DoesNotContain(wrongPassword, text);
            Assert.DoesNotContain(samlResponse, text);
            Assert.DoesNotContain(samlResponse[..40], text);
            Assert.DoesNotContain("<saml", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SignatureValue", text);
        }
    }

    /// <summary>Waits for a <c>roster serve</c> child process to answer /healthz (a minute at most).</summary>
    internal static async Task WaitUntilServingAsync(Uri baseAddress, Process server)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.False(server.HasExited, "roster serve exited before it served");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail("roster serve did not start serving within a minute");
    }
}
