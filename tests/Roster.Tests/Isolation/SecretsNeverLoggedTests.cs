using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Roster.Testing;

namespace Roster.Tests.Isolation;

/// <summary>`roster serve --log-format json`, as its own process, sees every way a secret travels in
/// or out (a SCIM token used, one a character off, one sent to another enterprise's URL, in a query
/// string or as Basic credentials; an admin API key used and one a character off; a token and a webhook
/// secret issued through the API): none of them, nor all but its last four characters, is in its output.</summary>
public sealed class SecretsNeverLoggedTests
{
    [Fact]
    public async Task No_token_key_or_webhook_secret_reaches_the_json_log()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await host.CreateEnterpriseAsync("Acme");
        var beta = await host.CreateEnterpriseAsync("Beta");
        var key = (await host.Directory.ApiKeys.CreateAsync(acme.Enterprise, "script", null, actor: null)).Key;
        var secrets = new List<string> { acme.Token, beta.Token, key };

        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Roster.dll"), "serve", .. host.StoreArguments, "--urls", $"http://127.0.0.1:{port}", "--log-format", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var server = Process.Start(start)!;
        var stdout = server.StandardOutput.ReadToEndAsync();
        var stderr = server.StandardError.ReadToEndAsync();
        var requests = 0;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Operations.JsonLogTests.WaitUntilServingAsync(http.BaseAddress!, server);

            async Task<int> SendAsync(HttpMethod method, string path, string? authorization, string? body = null, string contentType = "application/scim+json")
            {
                using var request = new HttpRequestMessage(method, path);
                if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
                using var response = await http.SendAsync(request);
                requests++;
                var text = await response.Content.ReadAsStringAsync();
                // What the API issues is a secret too, from its one response on.
                foreach (var field in new[] { "\"token\":\"", "\"secret\":\"" })
                {
                    var at = text.IndexOf(field, StringComparison.Ordinal);
                    if (at >= 0) secrets.Add(text[(at + field.Length)..text.IndexOf('"', at + field.Length)]);
                }
                return (int)response.StatusCode;
            }

            const string user = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""";
            Assert.Equal(201, await SendAsync(HttpMethod.Post, "/scim/v2/acme/Users", $"Bearer {acme.Token}", user));
            Assert.Equal(409, await SendAsync(HttpMethod.Post, "/scim/v2/acme/Users", $"Bearer {acme.Token}", user));
            Assert.Equal(400, await SendAsync(HttpMethod.Post, "/scim/v2/acme/Users", $"Bearer {acme.Token}", "{not json"));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, "/scim/v2/acme/Users", $"Bearer {acme.Token[..^1]}X"));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, "/scim/v2/acme/Users", $"Bearer {beta.Token}"));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, $"/scim/v2/acme/Users?access_token={Uri.EscapeDataString(acme.Token)}", null));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, "/scim/v2/acme/Users",
                "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"okta:{acme.Token}"))));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, "/scim/v2/nowhere/Users", $"Bearer {acme.Token}"));
            Assert.Equal(200, await SendAsync(HttpMethod.Get, "/api/v1/enterprises/acme/members", $"Bearer {key}"));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, "/api/v1/enterprises/acme/members", $"Bearer {key[..^1]}X"));
            Assert.Equal(401, await SendAsync(HttpMethod.Get, "/api/v1/enterprises/acme/members", $"Bearer {acme.Token}"));
            Assert.Equal(201, await SendAsync(HttpMethod.Post, "/api/v1/enterprises/acme/scim/tokens", $"Bearer {key}", """{"name":"issued"}""", "application/json"));
            Assert.Equal(201, await SendAsync(HttpMethod.Post, "/api/v1/enterprises/acme/webhooks", $"Bearer {key}", """{"url":"http://localhost:9/hooks"}""", "application/json"));
            Assert.Equal(400, await SendAsync(HttpMethod.Post, "/api/v1/enterprises/acme/scim/tokens", $"Bearer {key}", "{not json", "application/json"));
            Assert.Equal(5, secrets.Count);
        }
        finally
        {
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
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
        var output = await stdout + await stderr;
        Assert.Contains("/scim/v2/acme/Users 401", output); // the log was captured, refusals included
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, output);
            Assert.DoesNotContain(secret[..^4], output);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"okta:{secret}")), output);
        }
        Assert.True(requests >= 14);
    }
}
