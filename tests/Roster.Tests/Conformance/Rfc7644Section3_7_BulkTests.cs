using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>RFC 7644 §3.7: Bulk.</summary>
public sealed class Rfc7644Section3_7_BulkTests
{
    const string Bulk = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_7_operations_run_in_order_with_bulkId_references(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var response = (await client.PostAsync("Bulk", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
              {"method":"POST","path":"/Users","bulkId":"boss","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"boss@acme.example"}},
              {"method":"POST","path":"/Users","bulkId":"worker","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName":"worker@acme.example","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:boss"}}}},
              {"method":"PATCH","path":"/Users/bulkId:worker","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}},
              {"method":"POST","path":"/Users","bulkId":"again","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"BOSS@acme.example"}},
              {"method":"DELETE","path":"/Users/bulkId:boss","version":"W/\"1\""}]}
            """)).AssertOk();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:BulkResponse", response["schemas"]![0]!.GetValue<string>());
        var operations = response["Operations"]!.AsArray();
        Assert.Equal(["201", "201", "200", "409", "204"], operations.Select(o => o!["status"]!.GetValue<string>()).ToArray());
        Assert.Equal("boss", operations[0]!["bulkId"]!.GetValue<string>());
        var bossLocation = operations[0]!["location"]!.GetValue<string>();
        var bossId = bossLocation[(bossLocation.LastIndexOf('/') + 1)..];
        Assert.Equal("W/\"1\"", operations[0]!["version"]!.GetValue<string>());
        Assert.Equal("uniqueness", operations[3]!["response"]!["scimType"]!.GetValue<string>());

        var workerId = operations[1]!["location"]!.GetValue<string>().Split('/')[^1];
        var worker = (await client.GetAsync($"Users/{workerId}")).AssertOk();
        Assert.Equal(bossId, worker[Enterprise]!["manager"]!["value"]!.GetValue<string>());
        Assert.False(worker["active"]!.GetValue<bool>());
        (await client.GetAsync($"Users/{bossId}")).AssertError(404);

        // Each operation is its own line in the provisioning log.
        var log = await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: false, limit: 20);
        var operationsLogged = log.Where(e => e.Path.Contains("(Bulk operation")).ToList();
        Assert.Equal(new[] { "deleted", "-", "deactivated", "provisioned", "provisioned" }, operationsLogged.Select(e => e.Effect ?? "-").ToArray());
        Assert.Contains(operationsLogged, e => e.Outcome == "failed" && e.HttpStatus == 409 && e.Path.EndsWith("(Bulk operation 3)"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_7_3_failOnErrors_stops_and_unresolved_bulkIds_fail(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var response = (await client.PostAsync("Bulk", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1,"Operations":[
              {"method":"PATCH","path":"/Users/bulkId:nobody","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}},
              {"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"never@acme.example"}}]}
            """)).AssertOk();
        var only = Assert.Single(response["Operations"]!.AsArray())!;
        Assert.Equal("409", only["status"]!.GetValue<string>());
        Assert.Contains("bulkId:nobody", only["response"]!["detail"]!.GetValue<string>());
        Assert.Equal(0, (await client.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Section_3_7_limits_are_advertised_and_enforced()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var client = await host.CreateEnterpriseAsync("Acme");
        var config = (await client.GetAsync("ServiceProviderConfig")).AssertOk()["bulk"]!;
        Assert.True(config["supported"]!.GetValue<bool>());
        var max = config["maxOperations"]!.GetValue<int>();
        Assert.Equal(1000, max);
        Assert.Equal(1048576, config["maxPayloadSize"]!.GetValue<int>());

        var tooMany = new JsonObject
        {
            ["schemas"] = new JsonArray(Bulk),
            ["Operations"] = new JsonArray(Enumerable.Range(0, max + 1)
                .Select(i => (JsonNode?)new JsonObject { ["method"] = "DELETE", ["path"] = $"/Users/{i}" }).ToArray()),
        };
        (await client.PostAsync("Bulk", tooMany.ToJsonString())).AssertError(413);
        (await client.PostAsync("Bulk", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","data":{}}]}""")).AssertError(400);
        (await client.PostAsync("Bulk", """{"Operations":[]}""")).AssertError(400, "invalidSyntax");
        var huge = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[],"pad":""" + "\"" + new string('x', 1_100_000) + "\"}";
        (await client.PostAsync("Bulk", huge)).AssertError(413);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_7_groups_and_their_members_in_one_request(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var response = (await client.PostAsync("Bulk", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
              {"method":"POST","path":"/Users","bulkId":"ann","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}},
              {"method":"POST","path":"/Users","bulkId":"bob","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob@acme.example"}},
              {"method":"POST","path":"/Groups","bulkId":"eng","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering",
                 "members":[{"value":"bulkId:ann"},{"value":"bulkId:bob"}]}},
              {"method":"PATCH","path":"/Groups/bulkId:eng","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"members[value eq \"bulkId:bob\"]"}]}},
              {"method":"POST","path":"/Groups","bulkId":"ops","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops"}},
              {"method":"DELETE","path":"/Groups/bulkId:ops"}]}
            """)).AssertOk();
        var operations = response["Operations"]!.AsArray();
        Assert.Equal(["201", "201", "201", "200", "201", "204"], operations.Select(o => o!["status"]!.GetValue<string>()).ToArray());
        var engineering = operations[2]!["location"]!.GetValue<string>();
        Assert.Contains("/Groups/", engineering);
        var group = (await client.GetAsync("Groups/" + engineering.Split('/')[^1])).AssertOk();
        var ann = operations[0]!["location"]!.GetValue<string>().Split('/')[^1];
        Assert.Equal(ann, Assert.Single(group["members"]!.AsArray())!["value"]!.GetValue<string>());
        (await client.GetAsync("Groups/" + operations[4]!["location"]!.GetValue<string>().Split('/')[^1])).AssertError(404);
        var log = await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: false, limit: 20);
        Assert.Equal(4, log.Count(e => e.ResourceType == "Group" && e.Path.Contains("(Bulk operation")));
    }
}
