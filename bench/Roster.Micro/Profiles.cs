using System.Text.Json.Nodes;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Micro;

/// <summary>The User the micro-benchmarks work on: a profile as Okta pushes one, canonical as stored.</summary>
static class Profiles
{
    public const string Json = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "userName":"jane.doe@acme.example","externalId":"00u1a2b3c4d5e6f7g8h9",
         "name":{"givenName":"Jane","familyName":"Doe","formatted":"Jane Doe"},"displayName":"Jane Doe","title":"Engineer",
         "locale":"en-US","timezone":"Europe/Paris","active":true,
         "emails":[{"value":"jane.doe@acme.example","type":"work","primary":true},{"value":"jane@home.example","type":"home"}],
         "phoneNumbers":[{"value":"+33 1 23 45 67 89","type":"work"}],
         "addresses":[{"type":"work","streetAddress":"1 Rue de Rivoli","locality":"Paris","postalCode":"75001","country":"FR","primary":true}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"4242","department":"Engineering","costCenter":"CC-042","organization":"Acme"}}
        """;

    public static JsonObject Canonical() => ResourceNormalizer.NormalizeRequestBody(JsonNode.Parse(Json), ScimSchemas.UserResourceType);
}
