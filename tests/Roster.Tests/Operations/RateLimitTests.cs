using System.Globalization;
using Roster.Directory.Audit;
using Roster.Operations;
using Roster.Testing;

namespace Roster.Tests.Operations;

/// <summary>SCIM rate limits: per token, per enterprise across its tokens, and an enterprise's own
/// override from `roster ratelimit set`. Past a limit: 429, Retry-After, a SCIM Error, no row in the
/// provisioning log; other enterprises are not affected. Limits are per hour here, so which request
/// is refused does not depend on how fast the test runs.</summary>
public sealed class RateLimitTests
{
    static OperationsOptions Limits(int perToken, int perEnterprise) => new()
    {
        RateLimitPerToken = perToken,
        RateLimitPerEnterprise = perEnterprise,
        RateLimitShape = OperationsTestServer.PerHour,
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Past_its_limit_a_token_gets_429_with_Retry_After_and_a_SCIM_error_and_another_enterprise_does_not(string kind)
    {
        await using var server = await OperationsTestServer.StartAsync(kind, Limits(perToken: 3, perEnterprise: 100));
        var acme = await server.CreateEnterpriseAsync("Acme");
        var globex = await server.CreateEnterpriseAsync("Globex");

        for (var i = 0; i < 3; i++) (await acme.GetAsync("Users")).AssertOk();
        var refused = await acme.GetAsync("Users");

        var error = refused.AssertError(429);
        Assert.Contains("this SCIM token's rate limit (3 requests per hour)", error["detail"]!.GetValue<string>());
        var retryAfter = RetryAfterSeconds(refused);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Contains($"Retry after {retryAfter} second(s)", error["detail"]!.GetValue<string>());
        // A write is refused the same way, before it is read.
        (await acme.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""")).AssertError(429);

        // Another enterprise has its own buckets: its token's three are all there.
        for (var i = 0; i < 3; i++) (await globex.GetAsync("Users")).AssertOk();

        // Refusals cost no database row: the log has nothing for them, the metrics count them.
        Assert.Empty(await server.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: true, limit: 10));
        Assert.Empty(await server.Directory.Roles.ListMembersAsync(acme.Enterprise, null, 10));
        var metrics = await server.Plain().GetStringAsync("/metrics");
        Assert.Contains("roster_ratelimit_rejections_total{", metrics);
        Assert.Contains("limit=\"token\"", metrics);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Past_the_enterprise_limit_a_second_token_of_the_same_enterprise_gets_429_and_another_enterprise_does_not(string kind)
    {
        await using var server = await OperationsTestServer.StartAsync(kind, Limits(perToken: 100, perEnterprise: 4));
        var okta = await server.CreateEnterpriseAsync("Acme");
        var script = await server.TokenClientAsync(okta.Enterprise, "acme-sync-script/2.0");
        var globex = await server.CreateEnterpriseAsync("Globex");

        for (var i = 0; i < 3; i++) (await okta.GetAsync("Users")).AssertOk();
        (await script.GetAsync("Users")).AssertOk();
        var refused = await script.GetAsync("Users");

        var error = refused.AssertError(429);
        Assert.Contains("the rate limit of enterprise 'acme' across all its SCIM tokens (4 requests per hour)", error["detail"]!.GetValue<string>());
        Assert.InRange(RetryAfterSeconds(refused), 1, 3600);
        (await okta.GetAsync("Users")).AssertError(429);

        for (var i = 0; i < 4; i++) (await globex.GetAsync("Users")).AssertOk();
        var metrics = await server.Plain().GetStringAsync("/metrics");
        Assert.Contains("limit=\"enterprise\"", metrics);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_enterprise_override_set_with_the_cli_applies_to_that_enterprise_only_and_is_audited(string kind)
    {
        await using var server = await OperationsTestServer.StartAsync(kind, Limits(perToken: 100, perEnterprise: 100));
        var acme = await server.CreateEnterpriseAsync("Acme");
        var globex = await server.CreateEnterpriseAsync("Globex");

        var set = await CliRunner.RunAsync(server.StoreArguments, "ratelimit", "set", "--enterprise", "acme", "--per-token", "2");
        Assert.True(set.ExitCode == 0, set.Error);
        Assert.Equal(2, set.Json["perToken"]!.GetValue<int>());
        Assert.Null(set.Json["perEnterprise"]);
        Assert.Equal(OperationsOptions.DefaultPerEnterprise, set.Json["serverDefaults"]!["perEnterprise"]!.GetValue<int>());
        var shown = (await CliRunner.RunAsync(server.StoreArguments, "ratelimit", "show", "--enterprise", "acme")).Json;
        Assert.Equal(2, shown["perToken"]!.GetValue<int>());

        (await acme.GetAsync("Users")).AssertOk();
        (await acme.GetAsync("Users")).AssertOk();
        var refused = (await acme.GetAsync("Users")).AssertError(429);
        Assert.Contains("(2 requests per hour)", refused["detail"]!.GetValue<string>());
        for (var i = 0; i < 3; i++) (await globex.GetAsync("Users")).AssertOk();

        // Back to the server's default: printed as null, and audited too.
        var reset = await CliRunner.RunAsync(server.StoreArguments, "ratelimit", "set", "--enterprise", "acme", "--per-token", "default");
        Assert.True(reset.ExitCode == 0, reset.Error);
        Assert.Null(reset.Json["perToken"]);
        Assert.Null(reset.Json["updatedAt"]);
        var audit = (await CliRunner.RunAsync(server.StoreArguments, "audit", "--enterprise", "acme")).Json.AsArray();
        var changes = audit.Where(e => e!["action"]!.GetValue<string>() == AdminAction.RateLimitChanged).ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("SCIM rate limits set: per token the server's default, per enterprise the server's default (was: per token 2/s, per enterprise the server's default)",
            changes[0]!["summary"]!.GetValue<string>());
        Assert.Contains("per token 2/s", changes[1]!["summary"]!.GetValue<string>());
        Assert.StartsWith("command line (", changes[1]!["actor"]!.GetValue<string>());
        // Setting what is already set changes nothing and audits nothing.
        await CliRunner.RunAsync(server.StoreArguments, "ratelimit", "set", "--enterprise", "acme", "--per-token", "default");
        Assert.Equal(2, (await CliRunner.RunAsync(server.StoreArguments, "audit", "--enterprise", "acme")).Json.AsArray()
            .Count(e => e!["action"]!.GetValue<string>() == AdminAction.RateLimitChanged));
        Assert.DoesNotContain((await CliRunner.RunAsync(server.StoreArguments, "audit", "--enterprise", "globex")).Json.AsArray(),
            e => e!["action"]!.GetValue<string>() == AdminAction.RateLimitChanged);
    }

    [Fact]
    public async Task Bad_rate_limit_values_are_refused_with_clear_messages()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        Assert.Equal(0, (await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Acme")).ExitCode);

        foreach (var bad in new[] { "0", "-5", "ten", "100001", "2.5" })
        {
            var refused = await CliRunner.RunAsync(store, "ratelimit", "set", "--enterprise", "acme", "--per-token", bad);
            Assert.Contains($"--per-token takes a whole number of requests per second from 1 to 100000, or 'default', not '{bad}'.", refused.AssertFailed(2));
        }
        var enterpriseRefused = await CliRunner.RunAsync(store, "ratelimit", "set", "--enterprise", "acme", "--per-enterprise", "0");
        Assert.Contains("--per-enterprise takes a whole number", enterpriseRefused.AssertFailed(2));
        var nothing = await CliRunner.RunAsync(store, "ratelimit", "set", "--enterprise", "acme");
        Assert.Contains("needs --per-token or --per-enterprise", nothing.AssertFailed(2));
        var unknown = await CliRunner.RunAsync(store, "ratelimit", "show", "--enterprise", "nobody");
        unknown.AssertFailed(1);

        var serveToken = await CliRunner.RunAsync(store, "serve", "--rate-limit-token", "fast");
        Assert.Contains("--rate-limit-token takes a whole number of requests per second from 0 (no limit) to 100000, not 'fast'.", serveToken.AssertFailed(2));
        var serveEnterprise = await CliRunner.RunAsync(store, "serve", "--rate-limit-enterprise", "1000000");
        Assert.Contains("--rate-limit-enterprise takes a whole number", serveEnterprise.AssertFailed(2));
        var format = await CliRunner.RunAsync(store, "serve", "--log-format", "xml");
        Assert.Contains("--log-format is 'text' or 'json', not 'xml'.", format.AssertFailed(2));

        // Nothing was set by any of it.
        var shown = (await CliRunner.RunAsync(store, "ratelimit", "show", "--enterprise", "acme")).Json;
        Assert.Null(shown["perToken"]);
        Assert.Null(shown["perEnterprise"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Past_its_limit_an_admin_API_key_gets_429_with_Retry_After_as_a_problem_and_another_key_does_not(string kind)
    {
        await using var server = await OperationsTestServer.StartAsync(kind, Limits(perToken: 2, perEnterprise: 100));
        var acme = await server.CreateEnterpriseAsync("Acme");
        var first = await CliRunner.RunAsync(server.StoreArguments, "apikey", "create", "--enterprise", "acme", "--name", "script");
        var second = await CliRunner.RunAsync(server.StoreArguments, "apikey", "create", "--enterprise", "acme", "--name", "other script");
        using var http = server.Plain();

        async Task<HttpResponseMessage> GetAsync(CliResult key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/enterprises/acme/events");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key.Json["key"]!.GetValue<string>());
            return await http.SendAsync(request);
        }

        for (var i = 0; i < 2; i++) Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync(first)).StatusCode);
        using var refused = await GetAsync(first);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var header = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(header, CultureInfo.InvariantCulture), 1, 3600);
        Assert.Contains("this API key's limit of 2 requests per hour", await refused.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync(second)).StatusCode);
        Assert.Contains("limit=\"api_key\"", await http.GetStringAsync("/metrics"));
    }

    static int RetryAfterSeconds(ScimResponse response)
    {
        var header = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds), $"Retry-After is not whole seconds: {header}");
        return seconds;
    }
}
