using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;
using Roster.Scim.Patching;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>An enterprise's SCIM endpoint as the operations see it, whatever carried the request
/// (one HTTP request, or one operation of a Bulk request); <paramref name="UserType"/> is the
/// enterprise's User resource type, declared schemas included.</summary>
internal sealed record ScimContext(RosterDirectory Directory, Enterprise Enterprise, ResourceTypeDefinition UserType, string BaseUrl,
    CancellationToken Aborted);

/// <summary>What a write answers: the status, the resource, and where it lives.</summary>
internal sealed record ScimResult(int Status, Member? Member, JsonObject? Body, string? Location)
{
    public string? ETag => Member is null ? null : UserCommands.ETag(Member);
}

/// <summary>
/// The writes on Users (RFC 7644 §3.3, §3.5, §3.6), independent of how they arrived, so that a Bulk
/// operation does exactly what the same request on its own would.
/// </summary>
internal static class UserCommands
{
    public static async Task<ScimResult> CreateAsync(ScimContext context, JsonNode body, ProvisioningAttempt attempt)
    {
        var resource = ResourceNormalizer.NormalizeRequestBody(body, context.UserType);
        attempt.SuccessStatus = 201;
        attempt.TargetName = resource["userName"]?.GetValue<string>();
        var member = await context.Directory.Members.CreateAsync(context.Enterprise, context.UserType, resource, attempt, context.Aborted);
        return Result(context, 201, member);
    }

    /// <summary>PUT replaces the member's attributes with the body's. <c>active</c> left out keeps its
    /// value: a replacement that forgets it must not reactivate (or deactivate) anyone. So do immutable
    /// attributes, which may not change (<see cref="ImmutableValues"/>).</summary>
    public static async Task<ScimResult> ReplaceAsync(ScimContext context, string id, JsonNode body, EntityTagCondition? ifMatch, ProvisioningAttempt attempt)
    {
        var replacement = ResourceNormalizer.NormalizeRequestBody(body, context.UserType);
        var member = await context.Directory.Members.UpdateAsync(context.Enterprise, context.UserType, id, current =>
        {
            RequireIfMatch(ifMatch, current);
            if (!replacement.ContainsKey("active")) replacement["active"] = current.Active;
            ImmutableValues.Keep(current.Resource, replacement, context.UserType);
            return replacement;
        }, attempt, context.Aborted);
        return Result(context, 200, member);
    }

    /// <summary>PATCH applies every operation to the stored resource, or none: the result must still
    /// be a valid User before anything is written.</summary>
    public static async Task<ScimResult> PatchAsync(ScimContext context, string id, JsonNode body, EntityTagCondition? ifMatch, ProvisioningAttempt attempt)
    {
        var patch = PatchRequest.Parse(body, context.UserType);
        var member = await context.Directory.Members.UpdateAsync(context.Enterprise, context.UserType, id, current =>
        {
            RequireIfMatch(ifMatch, current);
            return ResourceNormalizer.Normalize(PatchEngine.Apply(current.Resource, patch, context.UserType), context.UserType);
        }, attempt, context.Aborted);
        return Result(context, 200, member);
    }

    public static async Task<ScimResult> DeleteAsync(ScimContext context, string id, EntityTagCondition? ifMatch, ProvisioningAttempt attempt)
    {
        attempt.SuccessStatus = 204;
        await context.Directory.Members.DeleteAsync(context.Enterprise, id, attempt, current => RequireIfMatch(ifMatch, current), context.Aborted);
        return new ScimResult(204, null, null, null);
    }

    public static string ETag(Member member) => $"W/\"{member.Version}\"";

    /// <param name="groups">The member's groups (the read-only <c>groups</c>, from group_members); null or
    /// empty for none.</param>
    public static JsonObject Render(ScimContext context, Member member, IReadOnlyList<MemberGroupRef>? groups = null)
    {
        var resource = ResourceWriter.Render(context.UserType, member.Id, member.Resource,
            new ResourceMeta(member.Created, member.LastModified, member.Version, Location(context, member.Id)));
        if (groups is not { Count: > 0 }) return resource;
        var meta = resource["meta"];
        resource.Remove("meta");
        resource["groups"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject
        {
            ["value"] = g.GroupId,
            ["$ref"] = $"{context.BaseUrl}/Groups/{Uri.EscapeDataString(g.GroupId)}",
            ["display"] = g.DisplayName,
            ["type"] = "direct",
        }).ToArray());
        resource["meta"] = meta;
        return resource;
    }

    /// <summary>The groups of the members of a page, in one query.</summary>
    public static async Task<Dictionary<string, List<MemberGroupRef>>> GroupsOfAsync(ScimContext context, IReadOnlyList<Member> members) =>
        members.Count == 0 ? [] : await context.Directory.Groups.GroupsOfAsync(context.Enterprise, members.Select(m => m.Id).ToList(), context.Aborted);

    public static async Task<JsonObject> RenderAsync(ScimContext context, Member member)
    {
        var groups = await GroupsOfAsync(context, [member]);
        return Render(context, member, groups.GetValueOrDefault(member.Id));
    }

    public static string Location(ScimContext context, string id) => $"{context.BaseUrl}/Users/{Uri.EscapeDataString(id)}";

    static ScimResult Result(ScimContext context, int status, Member member) =>
        new(status, member, Render(context, member), Location(context, member.Id));

    /// <summary>If-Match (RFC 7644 §3.14): the change applies only to the version the client last
    /// saw. Checked on the locked row, so no other writer can slip in between check and write.</summary>
    static void RequireIfMatch(EntityTagCondition? expected, Member current)
    {
        if (expected is not null && !expected.Matches(current.Version))
            throw new ScimException(412, null, $"The User has changed: its version is {ETag(current)}, not the one given. GET it again and retry.");
    }
}
