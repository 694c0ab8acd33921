using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>
/// POST /.search at the root (RFC 7644 §3.4.3): one search over every resource type, Users then
/// Groups, paged as one list. A filter that names what only one type has finds nothing of the other
/// type; a filter neither type understands is invalidFilter. Groups keep their members streamed.
/// </summary>
internal static class RootSearchOperations
{
    public static async Task SearchAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        var list = ListRequest.FromSearchBody(body);
        if (list.Cursor is not null) throw ScimException.InvalidValue("The root search pages with startIndex; search /Users or /Groups to page by cursor.");
        if (list.SortBy is not null) throw ScimException.InvalidValue("The root search lists Users, then Groups; search /Users or /Groups to sort.");

        SqlCondition? userCondition = null, groupCondition = null;
        ScimException? userError = null, groupError = null;
        try
        {
            userCondition = MemberQuery.From(list, request.UserType, request.Directory.Database.Dialect).Condition;
        }
        catch (ScimException e) when (e.ScimType == ScimErrorType.InvalidFilter)
        {
            userError = e;
        }
        try
        {
            groupCondition = GroupOperations.Condition(request, list);
        }
        catch (ScimException e) when (e.ScimType == ScimErrorType.InvalidFilter)
        {
            groupError = e;
        }
        if (userError is not null && groupError is not null) throw userError;

        var members = request.Directory.Members;
        var groups = request.Directory.Groups;
        var userTotal = userError is null ? (await members.ListAsync(request.Enterprise, userCondition, 1, 0, null, request.Aborted)).Total : 0;
        var groupTotal = groupError is null ? (await groups.ListAsync(request.Enterprise, groupCondition, 1, 0, null, request.Aborted)).Total : 0;

        // One list: Users at 1..U, Groups at U+1..U+G.
        var userPage = new List<Directory.Members.Member>();
        if (userError is null && list.StartIndex <= userTotal && list.Count > 0)
            userPage = (await members.ListAsync(request.Enterprise, userCondition, list.StartIndex, list.Count, null, request.Aborted)).Page;
        var groupPage = new List<Directory.Groups.Group>();
        var left = list.Count - userPage.Count;
        if (groupError is null && left > 0)
        {
            var groupStart = (int)Math.Max(1, list.StartIndex - userTotal);
            if (groupStart <= groupTotal)
                groupPage = (await groups.ListAsync(request.Enterprise, groupCondition, groupStart, left, null, request.Aborted)).Page;
        }

        var userProjection = ResourceProjection.Parse(list.Attributes, list.ExcludedAttributes, request.UserType);
        var groupProjection = ResourceProjection.Parse(list.Attributes, list.ExcludedAttributes, ScimSchemas.GroupResourceType);
        var memberships = await UserCommands.GroupsOfAsync(request.Context, userPage);

        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = ScimHttp.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body, GroupOperations.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(ScimSchemas.ListResponseUrn);
        writer.WriteEndArray();
        writer.WriteNumber("totalResults", userTotal + groupTotal);
        writer.WriteNumber("itemsPerPage", userPage.Count + groupPage.Count);
        writer.WriteNumber("startIndex", list.StartIndex);
        writer.WriteStartArray("Resources");
        foreach (var member in userPage)
            userProjection.Apply(UserOperations.Render(request, member, memberships.GetValueOrDefault(member.Id))).WriteTo(writer);
        var withMembers = GroupOperations.IncludesMembers(groupProjection);
        foreach (var group in groupPage)
        {
            var rendered = groupProjection.Apply(GroupOperations.Render(request, group));
            if (withMembers) await GroupOperations.WriteWithMembersAsync(request, writer, rendered, group, groupProjection);
            else rendered.WriteTo(writer);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(request.Aborted);
    }
}
