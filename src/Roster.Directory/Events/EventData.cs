using System.Text.Json.Nodes;
using Roster.Directory.Members;

namespace Roster.Directory.Events;

/// <summary>The payloads of events: the same shape for a subject in every event that names it.</summary>
internal static class EventData
{
    /// <summary><c>{member: {id, userName, externalId, displayName, email, active, resource}}</c>: the
    /// member as the IdP last sent it (the SCIM resource, without server meta).</summary>
    public static JsonObject Member(string id, JsonObject resource) => new()
    {
        ["member"] = new JsonObject
        {
            ["id"] = id,
            ["userName"] = resource["userName"]?.DeepClone(),
            ["externalId"] = resource["externalId"]?.DeepClone(),
            ["displayName"] = resource["displayName"]?.DeepClone(),
            ["email"] = MemberColumns.PrimaryEmail(resource["emails"] as JsonArray),
            ["active"] = resource["active"]?.DeepClone() ?? true,
            ["resource"] = resource.DeepClone(),
        },
    };

    /// <summary><c>{group: {id, displayName, externalId}}</c>.</summary>
    public static JsonObject Group(string id, string displayName, string? externalId) => new()
    {
        ["group"] = GroupRef(id, displayName, externalId),
    };

    /// <summary><c>{group: {id, displayName, externalId}, member: {id}}</c>.</summary>
    public static JsonObject Membership(string groupId, string groupDisplayName, string? groupExternalId, string memberId) => new()
    {
        ["group"] = GroupRef(groupId, groupDisplayName, groupExternalId),
        ["member"] = new JsonObject { ["id"] = memberId },
    };

    /// <summary><c>{member: {id}, from, to, because: {group: {id, displayName}}}</c>: the role the member had and has.</summary>
    public static JsonObject RoleChange(string memberId, string from, string to, string groupId, string groupDisplayName) => new()
    {
        ["member"] = new JsonObject { ["id"] = memberId },
        ["from"] = from,
        ["to"] = to,
        ["because"] = new JsonObject { ["group"] = new JsonObject { ["id"] = groupId, ["displayName"] = groupDisplayName } },
    };

    /// <summary>Adds what a deprovisioning did to a member event: <c>deprovisioning: {policy, restorableUntil}</c>.</summary>
    public static JsonObject WithDeprovisioning(this JsonObject data, string outcome, DateTimeOffset? restorableUntil)
    {
        data["deprovisioning"] = new JsonObject
        {
            ["outcome"] = outcome,
            ["restorableUntil"] = restorableUntil?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        return data;
    }

    static JsonObject GroupRef(string id, string displayName, string? externalId) => new()
    {
        ["id"] = id,
        ["displayName"] = displayName,
        ["externalId"] = externalId,
    };
}
