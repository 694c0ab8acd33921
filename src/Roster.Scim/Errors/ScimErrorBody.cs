using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Scim.Schema;

namespace Roster.Scim.Errors;

/// <summary>The Error message of RFC 7644 §3.12. <c>status</c> is a string, as the RFC's schema says
/// and as Okta's spec test compares it.</summary>
public static class ScimErrorBody
{
    public static JsonObject Create(int status, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create(ScimSchemas.ErrorUrn)),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
        };
        if (scimType is not null) body["scimType"] = scimType;
        body["detail"] = detail;
        return body;
    }

    public static JsonObject From(ScimException exception) => Create(exception.Status, exception.ScimType, exception.Detail);
}
