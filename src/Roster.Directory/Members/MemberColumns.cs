using System.Text.Json.Nodes;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Scim.Text;

namespace Roster.Directory.Members;

/// <summary>The attributes of a canonical SCIM User that are also columns: the ones lookups, the
/// uniqueness index and the product read without parsing the whole resource.</summary>
internal sealed record MemberColumns(
    string UserName, string UserNameKey, string? ExternalId, string? DisplayName, string? DisplayNameKey, string? GivenName, string? FamilyName,
    string? Email, string? EmailKey, bool Active, JsonObject Search, IReadOnlyList<MemberValue> Values)
{
    /// <param name="type">The enterprise's User resource type: its schemas say which strings the search
    /// document folds, declared extensions included.</param>
    public static MemberColumns From(JsonObject resource, ResourceTypeDefinition type)
    {
        var search = SearchDocument.From(resource, type);
        var userName = Text(resource["userName"]) ?? throw new InvalidOperationException("A canonical User always has a userName.");
        var email = PrimaryEmail(resource["emails"] as JsonArray);
        return new MemberColumns(
            userName, Key(userName), Text(resource["externalId"]), Text(resource["displayName"]),
            Text(resource["displayName"]) is { } displayName ? Key(displayName) : null,
            Text(resource["name"]?["givenName"]), Text(resource["name"]?["familyName"]),
            email, email is null ? null : Key(email),
            resource["active"] is JsonValue a && a.TryGetValue<bool>(out var active) ? active : true,
            search, MemberValue.From(search, type));
    }

    /// <summary>The comparison key of a case-insensitive attribute (<see cref="ScimText.Fold"/>): case and
    /// Unicode normalization form do not make two members.</summary>
    public static string Key(string value) => ScimText.Fold(value);

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static string? PrimaryEmail(JsonArray? emails)
    {
        if (emails is null) return null;
        string? first = null;
        foreach (var email in emails)
        {
            var value = Text(email?["value"]);
            if (value is null) continue;
            first ??= value;
            if (email?["primary"] is JsonValue p && p.TryGetValue<bool>(out var primary) && primary) return value;
        }
        return first;
    }
}

/// <summary>One element of a multi-valued attribute that has a <c>value</c>: a row of member_values.</summary>
internal sealed record MemberValue(string Attribute, string? Type, string Value)
{
    /// <summary>The multi-valued attributes whose elements are indexed: those with a textual value.</summary>
    public static bool IsIndexed(AttributeDefinition attribute) =>
        attribute is { MultiValued: true, Type: AttributeType.Complex }
        && attribute.FindSubAttribute("value") is { Type: AttributeType.String or AttributeType.Reference };

    public static IReadOnlyList<MemberValue> From(JsonObject search, ResourceTypeDefinition type)
    {
        var values = new List<MemberValue>();
        foreach (var attribute in type.Schema.Attributes)
        {
            if (!IsIndexed(attribute) || search[attribute.Name] is not JsonArray elements) continue;
            foreach (var element in elements)
            {
                if (element?["value"] is JsonValue v && v.TryGetValue<string>(out var value))
                {
                    var elementType = element["type"] is JsonValue t && t.TryGetValue<string>(out var text) ? text : null;
                    values.Add(new MemberValue(attribute.Name, elementType, value));
                }
            }
        }
        return values;
    }
}
