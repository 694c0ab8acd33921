using System.Text.Json.Nodes;

namespace Roster.Directory.Members;

/// <summary>The attributes of a canonical SCIM User that are also columns: the ones lookups, the
/// uniqueness index and the product read without parsing the whole resource.</summary>
internal sealed record MemberColumns(
    string UserName, string UserNameKey, string? ExternalId, string? DisplayName, string? GivenName, string? FamilyName,
    string? Email, string? EmailKey, bool Active)
{
    public static MemberColumns From(JsonObject resource)
    {
        var userName = Text(resource["userName"]) ?? throw new InvalidOperationException("A canonical User always has a userName.");
        var email = PrimaryEmail(resource["emails"] as JsonArray);
        return new MemberColumns(
            userName, Key(userName), Text(resource["externalId"]), Text(resource["displayName"]),
            Text(resource["name"]?["givenName"]), Text(resource["name"]?["familyName"]),
            email, email is null ? null : Key(email),
            resource["active"] is JsonValue a && a.TryGetValue<bool>(out var active) ? active : true);
    }

    /// <summary>The comparison key of a case-insensitive attribute. Lower-casing by the invariant
    /// culture is the same in every process and in both databases, because the database only
    /// compares the keys Roster computed.</summary>
    public static string Key(string value) => value.ToLowerInvariant();

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static string? PrimaryEmail(JsonArray? emails)
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
