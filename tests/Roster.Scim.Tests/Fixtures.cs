using System.Text.Json.Nodes;
using Roster.Scim.Patching;
using Roster.Scim.Schema;

namespace Roster.Scim.Tests;

/// <summary>Resources and resource types shared by the tests.</summary>
internal static class Fixtures
{
    public const string EnterpriseUrn = ScimSchemas.EnterpriseUserUrn;

    public static ResourceTypeDefinition User => ScimSchemas.UserResourceType;

    /// <summary>
    /// A test-only group-like resource type. The real Group schema is defined elsewhere; this one has the
    /// RFC 7643 §8.7.1 shape of <c>members</c> (value, $ref and type immutable) plus a few attributes of the
    /// types the User schema lacks (integer, decimal, multi-valued string, immutable string, dateTime).
    /// </summary>
    public static readonly ResourceTypeDefinition Team = new("Team", "/Teams", "Test-only group",
        new SchemaDefinition("urn:example:params:scim:schemas:test:2.0:Team", "Team", "Test-only group",
        [
            new() { Name = "displayName", Required = true, Uniqueness = Uniqueness.Server },
            new()
            {
                Name = "members", Type = AttributeType.Complex, MultiValued = true,
                SubAttributes =
                [
                    new() { Name = "value", CaseExact = true, Mutability = Mutability.Immutable },
                    new() { Name = "display" },
                    new() { Name = "$ref", Type = AttributeType.Reference, Mutability = Mutability.Immutable, ReferenceTypes = ["User", "Group"] },
                    new() { Name = "type", Mutability = Mutability.Immutable, CanonicalValues = ["User", "Group"] },
                ],
            },
            new() { Name = "priority", Type = AttributeType.Integer },
            new() { Name = "weight", Type = AttributeType.Decimal },
            new() { Name = "tags", MultiValued = true },
            new() { Name = "code", CaseExact = true, Mutability = Mutability.Immutable },
            new() { Name = "foundedOn", Type = AttributeType.DateTime },
            new() { Name = "archived", Type = AttributeType.Boolean },
        ]), []);

    /// <summary>RFC 7643 §8.2's Barbara Jensen, trimmed, with the enterprise extension and a read-only group.</summary>
    public static JsonObject Barbara() => Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "00ujl29u0le5T6Aj10h7",
          "userName": "bjensen@example.com",
          "name": { "givenName": "Barbara", "familyName": "Jensen" },
          "displayName": "Babs Jensen",
          "title": "Tour Guide",
          "active": true,
          "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home" }
          ],
          "phoneNumbers": [ { "value": "555-555-5555", "type": "work" } ],
          "addresses": [ { "type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood" } ],
          "groups": [ { "value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides" } ],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": { "value": "26118915-6090-4610-87e4-49d8ca9f808d", "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith" }
          },
          "meta": { "resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z", "version": "W/\"3694e05e9dff591\"" }
        }
        """);

    /// <summary>A user with only the attributes Okta creates: no extension, one work email.</summary>
    public static JsonObject OktaUser() => Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
          "userName": "test.user@okta.local",
          "name": { "givenName": "Test", "familyName": "User" },
          "emails": [ { "primary": true, "value": "test.user@okta.local", "type": "work" } ],
          "displayName": "Test User",
          "active": true
        }
        """);

    public static JsonObject TeamResource(string membersJson = "[]") => Parse($$"""
        {
          "schemas": ["urn:example:params:scim:schemas:test:2.0:Team"],
          "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
          "displayName": "Test SCIMv2",
          "members": {{membersJson}},
          "meta": { "resourceType": "Team" }
        }
        """);

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>A PatchOp message around the given operation objects.</summary>
    public static string PatchBody(params string[] operations) =>
        $$"""{"schemas":["{{ScimSchemas.PatchOpUrn}}"],"Operations":[{{string.Join(",", operations)}}]}""";

    public static JsonObject Patch(JsonObject resource, ResourceTypeDefinition type, params string[] operations)
    {
        var request = PatchRequest.Parse(JsonNode.Parse(PatchBody(operations)), type);
        return PatchEngine.Apply(resource, request, type);
    }

    public static JsonObject PatchUser(JsonObject resource, params string[] operations) => Patch(resource, User, operations);

    public static JsonObject? Enterprise(JsonObject user) => user[EnterpriseUrn] as JsonObject;

    /// <summary>The "value" sub-attributes of a multi-valued attribute, in order.</summary>
    public static string[] Values(JsonObject resource, string attribute) =>
        resource[attribute] is JsonArray array
            ? array.Select(e => (string)e!["value"]!).ToArray()
            : [];
}
