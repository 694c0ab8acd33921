using System.Text;
using Roster.Directory;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Tests.Isolation;

/// <summary>
/// Every SCIM endpoint, called with enterprise A's token, given enterprise B's ids and names wherever a
/// request can carry one (path, filter, group members, PATCH value, Bulk path and bulkId, cursor): the
/// answer is exactly the answer for an id or name that exists nowhere, names nothing of B, and B's rows
/// in the database are the same after as before. B's token on A's URL is any unknown token.
/// </summary>
public sealed class ScimIsolationTests(ITestOutputHelper output)
{
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    const string BulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    const string SearchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>The endpoints /ResourceTypes may list, each probed below: a resource type added later
    /// fails this test until its probes are written.</summary>
    static readonly string[] CoveredResourceEndpoints = ["/Users", "/Groups"];

    sealed record Probe(string Name, Func<ScimClient, string, Task<ScimResponse>> Send);

    static string Q(string filter) => Uri.EscapeDataString(filter);

    static Probe[] ByMemberId(Tenant a) =>
    [
        new("GET Users/{id}", (c, x) => c.GetAsync($"Users/{x}")),
        new("GET Users/{id}?attributes", (c, x) => c.GetAsync($"Users/{x}?attributes=userName,groups")),
        new("PUT Users/{id}", (c, x) => c.PutAsync($"Users/{x}", $$$"""{"schemas":["{{{UserSchema}}}"],"userName":"put@acme.example"}""")),
        new("PATCH Users/{id}", (c, x) => c.PatchAsync($"Users/{x}", $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"replace","value":{"active":false}}]}""")),
        new("DELETE Users/{id}", (c, x) => c.DeleteAsync($"Users/{x}")),
        new("GET Groups/{member id}", (c, x) => c.GetAsync($"Groups/{x}")),
        new("GET Users?filter=id eq", (c, x) => c.GetAsync($"Users?filter={Q($"id eq \"{x}\"")}")),
        new("GET Users?filter=id ne/or", (c, x) => c.GetAsync($"Users?filter={Q($"id eq \"{x}\" or userName eq \"nobody@acme.example\"")}")),
        new("GET Users?filter=manager.value eq", (c, x) => c.GetAsync($"Users?filter={Q($"{Enterprise}:manager.value eq \"{x}\"")}")),
        new("POST Users/.search id eq", (c, x) => c.PostAsync("Users/.search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"id eq \"{{{x}}}\""}""")),
        new("POST /.search id eq", (c, x) => c.PostAsync(".search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"id eq \"{{{x}}}\""}""")),
        new("GET Groups?filter=members.value eq", (c, x) => c.GetAsync($"Groups?filter={Q($"members.value eq \"{x}\"")}")),
        new("GET Groups?filter=members[value eq]", (c, x) => c.GetAsync($"Groups?filter={Q($"members[value eq \"{x}\"]")}")),
        new("POST Groups/.search members.value eq", (c, x) => c.PostAsync("Groups/.search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"members.value eq \"{{{x}}}\""}""")),
        new("POST Groups with a member", (c, x) => c.PostAsync("Groups",
            $$$"""{"schemas":["{{{GroupSchema}}}"],"displayName":"probe {{{x}}}","members":[{"value":"{{{a.MemberIds[0]}}}"},{"value":"{{{x}}}"}]}""")),
        new("PATCH Groups/{A} add member", (c, x) => c.PatchAsync($"Groups/{a.GroupIds[0]}",
            $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{{x}}}"}]}]}""")),
        new("PATCH Groups/{A} add member without path", (c, x) => c.PatchAsync($"Groups/{a.GroupIds[0]}",
            $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"add","value":{"members":[{"value":"{{{x}}}"}]}}]}""")),
        new("PATCH Groups/{A} remove member", (c, x) => c.PatchAsync($"Groups/{a.GroupIds[0]}",
            $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"remove","path":"members[value eq \"{{{x}}}\"]"}]}""")),
        new("PATCH Groups/{A} replace members", (c, x) => c.PatchAsync($"Groups/{a.GroupIds[1]}",
            $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"replace","path":"members","value":[{"value":"{{{a.MemberIds[2]}}}"},{"value":"{{{x}}}"}]}]}""")),
        new("PUT Groups/{A} with a member", (c, x) => c.PutAsync($"Groups/{a.GroupIds[1]}",
            $$$"""{"schemas":["{{{GroupSchema}}}"],"displayName":"acme Sales","members":[{"value":"{{{a.MemberIds[2]}}}"},{"value":"{{{x}}}"}]}""")),
        new("PATCH Users/{A} manager value", (c, x) => c.PatchAsync($"Users/{a.MemberIds[0]}",
            $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"replace","path":"{{{Enterprise}}}:manager","value":{"value":"{{{x}}}"}}]}""")),
        new("POST Bulk on a member", (c, x) => c.PostAsync("Bulk", $$$"""
            {"schemas":["{{{BulkRequest}}}"],"Operations":[
              {"method":"PATCH","path":"/Users/{{{x}}}","data":{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"replace","value":{"active":false}}]}},
              {"method":"PUT","path":"/Users/{{{x}}}","data":{"schemas":["{{{UserSchema}}}"],"userName":"bulkput@acme.example"}},
              {"method":"DELETE","path":"/Users/{{{x}}}"},
              {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["{{{GroupSchema}}}"],"displayName":"bulk {{{x}}}","members":[{"value":"{{{x}}}"}]}},
              {"method":"PATCH","path":"/Groups/{{{a.GroupIds[0]}}}","data":{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{{x}}}"}]}]}},
              {"method":"POST","path":"/Groups","data":{"schemas":["{{{GroupSchema}}}"],"displayName":"bulkref {{{x}}}","members":[{"value":"bulkId:{{{x}}}"}]}}
            ]}
            """)),
    ];

    static Probe[] ByGroupId(Tenant a) =>
    [
        new("GET Groups/{id}", (c, x) => c.GetAsync($"Groups/{x}")),
        new("GET Groups/{id}?excludedAttributes=members", (c, x) => c.GetAsync($"Groups/{x}?excludedAttributes=members")),
        new("PUT Groups/{id}", (c, x) => c.PutAsync($"Groups/{x}", $$$"""{"schemas":["{{{GroupSchema}}}"],"displayName":"taken over"}""")),
        new("PATCH Groups/{id}", (c, x) => c.PatchAsync($"Groups/{x}",
            $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{{a.MemberIds[0]}}}"}]}]}""")),
        new("DELETE Groups/{id}", (c, x) => c.DeleteAsync($"Groups/{x}")),
        new("GET Users/{group id}", (c, x) => c.GetAsync($"Users/{x}")),
        new("GET Groups?filter=id eq", (c, x) => c.GetAsync($"Groups?filter={Q($"id eq \"{x}\"")}")),
        new("GET Users?filter=groups.value eq", (c, x) => c.GetAsync($"Users?filter={Q($"groups.value eq \"{x}\"")}")),
        new("POST Groups/.search id eq", (c, x) => c.PostAsync("Groups/.search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"id eq \"{{{x}}}\""}""")),
        new("POST Groups with a group as member", (c, x) => c.PostAsync("Groups",
            $$$"""{"schemas":["{{{GroupSchema}}}"],"displayName":"nest {{{x}}}","members":[{"value":"{{{x}}}","type":"Group"}]}""")),
        new("POST Bulk on a group", (c, x) => c.PostAsync("Bulk", $$$"""
            {"schemas":["{{{BulkRequest}}}"],"failOnErrors":0,"Operations":[
              {"method":"PATCH","path":"/Groups/{{{x}}}","data":{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{{a.MemberIds[0]}}}"}]}]}},
              {"method":"PUT","path":"/Groups/{{{x}}}","data":{"schemas":["{{{GroupSchema}}}"],"displayName":"bulk taken"}},
              {"method":"DELETE","path":"/Groups/{{{x}}}"}
            ]}
            """)),
    ];

    static Probe[] ByName() =>
    [
        new("GET Users?filter=userName eq", (c, x) => c.GetAsync($"Users?filter={Q($"userName eq \"{x}\"")}")),
        new("GET Users?filter=userName sw", (c, x) => c.GetAsync($"Users?filter={Q($"userName sw \"{x[..5]}\"")}")),
        new("GET Users?filter=emails.value eq", (c, x) => c.GetAsync($"Users?filter={Q($"emails[type eq \"work\"].value eq \"{x}\"")}")),
        new("GET Users?filter=externalId eq", (c, x) => c.GetAsync($"Users?filter={Q($"externalId eq \"beta-{x.Split('@')[0]}\"")}")),
        new("POST Users/.search userName eq", (c, x) => c.PostAsync("Users/.search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"userName eq \"{{{x}}}\""}""")),
        new("GET Users?filter=userName co count", (c, x) => c.GetAsync($"Users?count=0&filter={Q($"userName co \"{x}\"")}")),
    ];

    static Probe[] ByGroupName() =>
    [
        new("GET Groups?filter=displayName eq", (c, x) => c.GetAsync($"Groups?filter={Q($"displayName eq \"{x}\"")}")),
        new("GET Groups?filter=externalId eq", (c, x) => c.GetAsync($"Groups?filter={Q($"externalId eq \"beta-{x.Split(' ')[1]}\"")}")),
        new("POST /.search displayName eq", (c, x) => c.PostAsync(".search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"displayName eq \"{{{x}}}\""}""")),
    ];

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_SCIM_endpoint_called_for_A_with_Bs_ids_answers_as_for_ids_that_exist_nowhere_and_leaves_B_unchanged(string kind)
    {
        await using var world = await IsolationWorld.CreateAsync(kind);
        var (a, b) = (world.A, world.B);
        var before = await world.SnapshotOfBAsync();
        var requests = 0;

        async Task CompareAsync(Probe probe, string ofB, string nowhere)
        {
            var answerB = await probe.Send(a.Scim, ofB);
            var answerNowhere = await probe.Send(a.Scim, nowhere);
            requests += 2;
            Assert.True(answerB.Status < 500, $"{probe.Name} with B's {ofB}: {answerB.Status} {answerB.Body}");
            Assert.True(AnswerShape.Of(answerB.Status, answerB.ContentType, answerB.Body, ofB) ==
                        AnswerShape.Of(answerNowhere.Status, answerNowhere.ContentType, answerNowhere.Body, nowhere),
                $"{probe.Name}: B's {ofB} answered\n{answerB.Status} {answerB.Body}\nan id of nowhere answered\n{answerNowhere.Status} {answerNowhere.Body}");
            AnswerShape.AssertMentionsNothingOf(b, "beta", answerB.Body, ofB, probe.Name);
        }

        var probes = 0;
        foreach (var probe in ByMemberId(a))
        foreach (var ofB in b.MemberIds)
        {
            await CompareAsync(probe, ofB, Identifiers.NewId());
            probes++;
        }
        foreach (var probe in ByGroupId(a))
        foreach (var ofB in b.GroupIds)
        {
            await CompareAsync(probe, ofB, Identifiers.NewId());
            probes++;
        }
        foreach (var probe in ByName())
        foreach (var ofB in b.UserNames)
        {
            await CompareAsync(probe, ofB, "zed" + ofB[3..]);
            probes++;
        }
        foreach (var probe in ByGroupName())
        foreach (var ofB in b.GroupNames)
        {
            await CompareAsync(probe, ofB, "beta Nowhere");
            probes++;
        }

        // B's cursor on A's listing is a position like any other: compared with the same position under an id of nowhere.
        var cursor = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(System.Buffers.Text.Base64Url.DecodeFromChars(b.ScimUsersCursor))!;
        cursor["i"] = Identifiers.NewId();
        var nowhereCursor = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursor.ToJsonString()));
        await CompareAsync(new Probe("GET Users?cursor", (c, x) => c.GetAsync($"Users?count=2&cursor={Uri.EscapeDataString(x)}")), b.ScimUsersCursor, nowhereCursor);
        await CompareAsync(new Probe("GET Groups?cursor", (c, x) => c.GetAsync($"Groups?count=2&cursor={Uri.EscapeDataString(x)}")), b.ScimUsersCursor, nowhereCursor);

        // What A lists, searches and discovers names nothing of B.
        foreach (var path in new[] { "Users", "Users?count=500&attributes=groups,userName", "Groups", "Groups?filter=" + Q("displayName sw \"b\""),
                     "ServiceProviderConfig", "ResourceTypes", "ResourceTypes/User", "Schemas", "Me" })
        {
            var answer = await a.Scim.GetAsync(path);
            requests++;
            Assert.True(answer.Status < 500, $"{path}: {answer.Status} {answer.Body}");
            AnswerShape.AssertMentionsNothingOf(b, "beta", answer.Body, "", path);
        }
        var rootSearch = await a.Scim.PostAsync(".search", $$$"""{"schemas":["{{{SearchRequest}}}"],"filter":"userName pr or displayName pr","count":500}""");
        requests++;
        AnswerShape.AssertMentionsNothingOf(b, "beta", rootSearch.AssertOk().ToJsonString(), "", "root .search");
        Assert.True(rootSearch.Json["totalResults"]!.GetValue<int>() >= 3, rootSearch.Body); // A's own resources are found
        // Discovery: B's extension schema is B's alone; asked of A, it is any schema A does not have.
        var bSchema = await a.Scim.GetAsync($"Schemas/{IsolationWorld.BetaExtension}");
        var noSchema = await a.Scim.GetAsync("Schemas/urn:ietf:params:scim:schemas:extension:zeta:2.0:User");
        Assert.Equal(AnswerShape.Of(noSchema.Status, noSchema.ContentType, noSchema.Body, "zeta"),
            AnswerShape.Of(bSchema.Status, bSchema.ContentType, bSchema.Body, "beta"));
        // RFC 7644 §3.11 /Me: Roster has no authenticated subject for an IdP token: the same 404 as any unknown path.
        var me = await a.Scim.GetAsync("Me");
        var nothing = await a.Scim.GetAsync("Nothing");
        Assert.Equal(AnswerShape.Of(nothing.Status, nothing.ContentType, nothing.Body, "/Nothing"), AnswerShape.Of(me.Status, me.ContentType, me.Body, "/Me"));

        var resourceTypes = (await a.Scim.GetAsync("ResourceTypes")).AssertOk()["Resources"]!.AsArray().Select(r => r!["endpoint"]!.GetValue<string>()).ToList();
        Assert.All(resourceTypes, endpoint => Assert.Contains(endpoint, CoveredResourceEndpoints));
        requests += 6;

        Assert.Equal(before, await world.SnapshotOfBAsync());

        // B's token on A's URL: the 401 of a token that exists nowhere, and B's data unchanged but for the
        // entry that tells B its token went elsewhere.
        var misdirected = world.Host.Client(a.Enterprise, $"Bearer {b.Scim.Token}");
        var unknown = world.Host.Client(a.Enterprise, $"Bearer {ScimTokenStoreSecret()}");
        foreach (var (method, path) in new[] { ("GET", "Users"), ("GET", $"Users/{b.MemberIds[0]}"), ("POST", "Bulk"), ("DELETE", $"Groups/{b.GroupIds[0]}") })
        {
            using var one = await misdirected.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            using var other = await unknown.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            requests += 2;
            Assert.Equal(401, (int)one.StatusCode);
            Assert.Equal(await other.Content.ReadAsStringAsync(), await one.Content.ReadAsStringAsync());
            Assert.Equal(other.Headers.WwwAuthenticate.ToString(), one.Headers.WwwAuthenticate.ToString());
        }
        var after = await world.SnapshotOfBAsync();
        var added = after.Split('\n').Except(before.Split('\n')).ToList();
        Assert.True(added.Count == 4, string.Join('\n', added));
        Assert.All(added, row => Assert.Contains(Roster.Directory.Health.RequestKinds.PresentedElsewhereReason, row));
        Assert.Equal(before.Split('\n').Length, after.Split('\n').Except(added).Count());
        output.WriteLine($"{probes} probes, {requests} requests over SCIM with A's token; B unchanged");
    }

    static string ScimTokenStoreSecret() => Identifiers.NewSecret(Roster.Directory.Tokens.ScimTokenStore.SecretPrefix);
}
