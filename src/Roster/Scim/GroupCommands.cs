using System.Text.Json.Nodes;
using Roster.Directory.Groups;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;
using Roster.Scim.Patching;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>What a write on a Group answers: the status, the group, and where it lives.</summary>
internal sealed record GroupResult(int Status, Group? Group, string? Location)
{
    public string? ETag => Group is null ? null : GroupCommands.ETag(Group);
}

/// <summary>
/// The writes on Groups (RFC 7644 §3.3, §3.5, §3.6), independent of how they arrived, so that a Bulk
/// operation does exactly what the same request on its own would.
/// </summary>
internal static class GroupCommands
{
    static ResourceTypeDefinition Type => ScimSchemas.GroupResourceType;

    public static async Task<GroupResult> CreateAsync(ScimContext context, JsonNode body, ProvisioningAttempt attempt)
    {
        var resource = ResourceNormalizer.NormalizeRequestBody(body, Type);
        var memberIds = TakeMembers(resource);
        attempt.SuccessStatus = 201;
        attempt.TargetName = resource["displayName"]?.GetValue<string>();
        var group = await context.Directory.Groups.CreateAsync(context.Enterprise, resource, memberIds, attempt, context.Aborted);
        return new GroupResult(201, group, Location(context, group.Id));
    }

    /// <summary>PUT replaces displayName, externalId and the member set (members left out: none).</summary>
    public static async Task<GroupResult> ReplaceAsync(ScimContext context, string id, JsonNode body, EntityTagCondition? ifMatch, ProvisioningAttempt attempt)
    {
        var replacement = ResourceNormalizer.NormalizeRequestBody(body, Type);
        var memberIds = TakeMembers(replacement);
        var group = await context.Directory.Groups.UpdateAsync(context.Enterprise, id, current =>
        {
            RequireIfMatch(ifMatch, current);
            return replacement;
        }, [new MembershipChange(MembershipChangeKind.Replace, memberIds)], attempt, context.Aborted);
        return new GroupResult(200, group, Location(context, group.Id));
    }

    /// <summary>
    /// PATCH: operations on <c>members</c> become membership changes applied in order in SQL; the
    /// others (displayName, externalId, Okta's no-path replace that carries <c>id</c>) apply to the
    /// resource without members.
    /// </summary>
    public static async Task<GroupResult> PatchAsync(ScimContext context, string id, JsonNode body, EntityTagCondition? ifMatch,
        ProvisioningAttempt attempt, int successStatus)
    {
        var patch = PatchRequest.Parse(body, Type);
        var (attributes, membership) = GroupOperations.Split(patch);
        attempt.SuccessStatus = successStatus;
        var group = await context.Directory.Groups.UpdateAsync(context.Enterprise, id, current =>
        {
            RequireIfMatch(ifMatch, current);
            return attributes.Count == 0
                ? current.Resource
                : ResourceNormalizer.Normalize(PatchEngine.Apply(current.Resource, new PatchRequest(attributes), Type), Type);
        }, membership, attempt, context.Aborted);
        return new GroupResult(successStatus, group, Location(context, group.Id));
    }

    public static async Task<GroupResult> DeleteAsync(ScimContext context, string id, EntityTagCondition? ifMatch, ProvisioningAttempt attempt)
    {
        attempt.SuccessStatus = 204;
        await context.Directory.Groups.DeleteAsync(context.Enterprise, id, attempt, current => RequireIfMatch(ifMatch, current), context.Aborted);
        return new GroupResult(204, null, null);
    }

    public static string Location(ScimContext context, string id) => $"{context.BaseUrl}/Groups/{Uri.EscapeDataString(id)}";

    public static string ETag(Group group) => $"W/\"{group.Version}\"";

    /// <summary>Takes the members out of a normalized request body: their ids.</summary>
    static List<string> TakeMembers(JsonObject resource)
    {
        var members = resource["members"];
        resource.Remove("members");
        return GroupOperations.MemberIds(members);
    }

    static void RequireIfMatch(EntityTagCondition? expected, Group current)
    {
        if (expected is not null && !expected.Matches(current.Version))
            throw new ScimException(412, null, $"The Group has changed: its version is {ETag(current)}, not the one given. GET it again and retry.");
    }
}
