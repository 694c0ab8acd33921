using Roster.Testing;

namespace Roster.Tests;

/// <summary>A resource reads the same from either database: attributes in the schema's order.</summary>
public sealed class ResourceRenderingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Attributes_come_in_the_schema_order_whatever_the_store_keeps(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        // Sent in an order of its own, with a key jsonb would move to the front.
        var created = (await client.PostAsync("Users", """
            {"emails":[{"value":"o@acme.example","type":"work"}],"title":"Lead","active":true,"userName":"o@acme.example",
             "externalId":"x1","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"7"},
             "name":{"givenName":"O"},"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]}
            """)).AssertOk(201);
        string[] expected = ["schemas", "id", "externalId", "userName", "name", "title", "active", "emails",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "meta"];
        Assert.Equal(expected, created.Select(p => p.Key).ToArray());
        var read = (await client.GetAsync($"Users/{created["id"]}")).AssertOk();
        Assert.Equal(expected, read.Select(p => p.Key).ToArray());
        Assert.Equal(["employeeNumber", "department"], read["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!.AsObject().Select(p => p.Key).ToArray());
    }
}
