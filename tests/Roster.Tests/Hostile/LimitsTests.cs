using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Hostile;

/// <summary>
/// Every limit a SCIM request runs into is advertised in /ServiceProviderConfig (RFC 7643 §5's fields,
/// and Roster's Limits extension for the rest) and enforced at the advertised value: one past it is
/// refused with a SCIM Error, the limit itself is accepted. The limits do not depend on the database.
/// </summary>
public sealed class LimitsTests
{
    const string LimitsUrn = "urn:roster:params:scim:schemas:extension:2.0:Limits";

    static async Task<(RosterTestHost Host, ScimClient Client, JsonObject Config)> StartAsync()
    {
        var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var client = await host.CreateEnterpriseAsync("Acme");
        var config = (await client.GetAsync("ServiceProviderConfig")).AssertOk();
        return (host, client, config);
    }

    static int Limit(JsonObject config, string name) => config[LimitsUrn]![name]!.GetValue<int>();

    [Fact]
    public async Task Every_limit_is_advertised()
    {
        var (host, client, config) = await StartAsync();
        await using var _ = host;
        Assert.Contains(LimitsUrn, config["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(1000, config["filter"]!["maxResults"]!.GetValue<int>());
        Assert.Equal(1000, config["bulk"]!["maxOperations"]!.GetValue<int>());
        Assert.Equal(1024 * 1024, config["bulk"]!["maxPayloadSize"]!.GetValue<int>());
        Assert.Equal(1024 * 1024, Limit(config, "maxPayloadSize"));
        Assert.Equal(64, Limit(config, "maxJsonDepth"));
        Assert.Equal(8192, Limit(config, "maxFilterLength"));
        Assert.Equal(50, Limit(config, "maxFilterDepth"));
        Assert.Equal(1000, Limit(config, "maxPatchOperations"));
        Assert.Equal(1000, Limit(config, "maxResults"));
        Assert.Equal(1000, Limit(config, "maxBulkOperations"));
    }

    [Fact]
    public async Task A_body_over_the_payload_size_is_413_with_or_without_a_content_length()
    {
        var (host, client, config) = await StartAsync();
        await using var _ = host;
        var max = config["bulk"]!["maxPayloadSize"]!.GetValue<int>();
        var oversized = Encoding.UTF8.GetBytes("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"big@acme.example\",\"nickName\":\"" +
                                               new string('x', max) + "\"}");

        foreach (var chunked in new[] { false, true })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "Users");
            // A stream of unknown length goes out chunked, without Content-Length: the server learns the
            // size only by reading, and must stop at the limit.
            request.Content = chunked ? new StreamContent(new UnknownLengthStream(oversized)) : new ByteArrayContent(oversized);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ScimClient.ScimJson);
            Assert.Equal(chunked, request.Content.Headers.ContentLength is null);
            using var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
            (await ScimResponse.ReadAsync(response)).AssertError(413);
        }
        var justUnder = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"big@acme.example\",\"nickName\":\"";
        (await client.PostAsync("Users", justUnder + new string('x', max - justUnder.Length - 10) + "\"}")).AssertOk(201);
    }

    [Fact]
    public async Task Filters_over_the_length_or_depth_are_refused()
    {
        var (host, client, config) = await StartAsync();
        await using var _ = host;
        var maxLength = Limit(config, "maxFilterLength");
        var maxDepth = Limit(config, "maxFilterDepth");
        static string Search(string filter) => new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create("urn:ietf:params:scim:api:messages:2.0:SearchRequest")),
            ["filter"] = filter,
        }.ToJsonString();
        var prefix = "userName eq \"";
        var atLimit = prefix + new string('x', maxLength - prefix.Length - 1) + "\"";
        Assert.Equal(maxLength, atLimit.Length);
        (await client.PostAsync("Users/.search", Search(atLimit))).AssertOk();
        (await client.PostAsync("Users/.search", Search(atLimit + " "))).AssertError(400, "invalidFilter");

        static string Nested(int depth) => new string('(', depth) + "userName eq \"a\"" + new string(')', depth);
        (await client.PostAsync("Users/.search", Search(Nested(maxDepth)))).AssertOk();
        (await client.GetAsync("Users?filter=" + Uri.EscapeDataString(Nested(maxDepth + 1)))).AssertError(400, "invalidFilter");
    }

    [Fact]
    public async Task A_patch_over_the_operation_count_and_json_over_the_depth_are_refused()
    {
        var (host, client, config) = await StartAsync();
        await using var _ = host;
        var id = (await client.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""")).AssertOk(201)["id"]!.GetValue<string>();
        static string Patch(int operations) => """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[""" +
            string.Join(",", Enumerable.Range(0, operations).Select(i => $$"""{"op":"replace","path":"displayName","value":"Ann {{i}}"}""")) + "]}";
        var maxOperations = Limit(config, "maxPatchOperations");
        var refused = (await client.PatchAsync($"Users/{id}", Patch(maxOperations + 1))).AssertError(400, "invalidValue");
        Assert.Contains(maxOperations.ToString(System.Globalization.CultureInfo.InvariantCulture), refused["detail"]!.GetValue<string>());
        Assert.Equal($"Ann {maxOperations - 1}", (await client.PatchAsync($"Users/{id}", Patch(maxOperations))).AssertOk()["displayName"]!.GetValue<string>());

        var maxDepth = Limit(config, "maxJsonDepth");
        // The body object is one level; the nickName's arrays the rest.
        static string Deep(int depth) => """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"deep@acme.example","x":""" +
                                         new string('[', depth - 1) + new string(']', depth - 1) + "}";
        (await client.PostAsync("Users", Deep(maxDepth + 1))).AssertError(400, "invalidSyntax");
        Assert.NotEqual(500, (await client.PostAsync("Users", Deep(maxDepth))).Status);
    }

    [Fact]
    public async Task Count_is_capped_at_maxResults_and_bulk_at_maxOperations()
    {
        var (host, client, config) = await StartAsync();
        await using var _ = host;
        // A count over the maximum is not an error (RFC 7644 §3.4.2.4): the page is at most maxResults.
        var page = (await client.GetAsync("Users?count=99999999999999")).AssertOk();
        Assert.Equal(0, page["totalResults"]!.GetValue<int>());

        var maxOperations = config["bulk"]!["maxOperations"]!.GetValue<int>();
        var operations = string.Join(",", Enumerable.Range(0, maxOperations + 1).Select(i => $$"""{"method":"DELETE","path":"/Users/none-{{i}}"}"""));
        var bulk = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[""" + operations + "]}";
        var refused = (await client.PostAsync("Bulk", bulk)).AssertError(413);
        Assert.Contains("maxOperations", refused["detail"]!.GetValue<string>());
    }

    /// <summary>A stream that does not tell its length, so that HttpClient sends it chunked.</summary>
    sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
