using System.Text.Json.Nodes;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Scim.Errors;
using Roster.Scim.Patching;
using Roster.Scim.Resources;

namespace Roster.Scim;

/// <summary>The SCIM operations on /Users (RFC 7644 §3.3-3.6), each a thin step from HTTP to the
/// member directory and back.</summary>
internal static class UserOperations
{
    public static Task ListAsync(ScimRequest request, string[] path) =>
        WriteListAsync(request, ListRequest.FromQuery(request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))));

    /// <summary>POST /Users/.search and /.search (RFC 7644 §3.4.3): a list whose parameters come in
    /// the body, so that filters with personal data stay out of URLs and their logs.</summary>
    public static async Task SearchAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        await WriteListAsync(request, ListRequest.FromSearchBody(body));
    }

    static async Task WriteListAsync(ScimRequest request, ListRequest list)
    {
        var query = MemberQuery.From(list, request.UserType, request.Directory.Database.Dialect);
        var projection = ResourceProjection.Parse(list.Attributes, list.ExcludedAttributes, request.UserType);
        if (list.Cursor is not null)
        {
            var byCursor = await request.Directory.Members.ListByCursorAsync(request.Enterprise, query.Condition, list.Filter, list.Count,
                list.Cursor, query.Sort, request.Aborted);
            var cursorGroups = await UserCommands.GroupsOfAsync(request.Context, byCursor.Page);
            await ScimHttp.WriteAsync(request.Http.Response, 200, ListResponse.CreateForCursor(
                byCursor.Page.Select(m => (JsonNode)projection.Apply(Render(request, m, cursorGroups.GetValueOrDefault(m.Id)))),
                byCursor.Total, byCursor.NextCursor, byCursor.PreviousCursor),
                request.Aborted);
            return;
        }
        var (total, page) = await request.Directory.Members.ListAsync(request.Enterprise, query.Condition, list.StartIndex, list.Count,
            query.OrderBy, request.Aborted);
        var groups = await UserCommands.GroupsOfAsync(request.Context, page);
        var resources = page.Select(m => (JsonNode)projection.Apply(Render(request, m, groups.GetValueOrDefault(m.Id))));
        await ScimHttp.WriteAsync(request.Http.Response, 200, ListResponse.Create(resources, total, list.StartIndex), request.Aborted);
    }

    public static async Task GetAsync(ScimRequest request, string[] path)
    {
        var member = await request.Directory.Members.GetAsync(request.Enterprise, path[1], request.Aborted);
        if (ScimHttp.AnsweredNotModified(request.Http, member.Version, ETag(member))) return;
        await WriteMemberAsync(request, 200, member);
    }

    public static async Task CreateAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        await WriteResultAsync(request, await UserCommands.CreateAsync(request.Context, body, request.Attempt));
    }

    public static async Task ReplaceAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        await WriteResultAsync(request, await UserCommands.ReplaceAsync(request.Context, path[1], body, IfMatch(request), request.Attempt));
    }

    public static async Task PatchAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        await WriteResultAsync(request, await UserCommands.PatchAsync(request.Context, path[1], body, IfMatch(request), request.Attempt));
    }

    public static async Task DeleteAsync(ScimRequest request, string[] path)
    {
        await UserCommands.DeleteAsync(request.Context, path[1], IfMatch(request), request.Attempt);
        request.Http.Response.StatusCode = 204;
    }

    static EntityTagCondition? IfMatch(ScimRequest request) => EntityTagCondition.Parse(request.Http.Request.Headers.IfMatch);

    static Task WriteResultAsync(ScimRequest request, ScimResult result)
    {
        if (result.Status == 201) request.Http.Response.Headers.Location = result.Location;
        return WriteMemberAsync(request, result.Status, result.Member!);
    }

    static async Task WriteMemberAsync(ScimRequest request, int status, Member member)
    {
        var resource = await UserCommands.RenderAsync(request.Context, member);
        request.Http.Response.Headers.ETag = ETag(member);
        var list = ListRequest.FromQuery(request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())));
        var projection = ResourceProjection.Parse(list.Attributes, list.ExcludedAttributes, request.UserType);
        await ScimHttp.WriteAsync(request.Http.Response, status, projection.Apply(resource), request.Aborted);
    }

    static string ETag(Member member) => UserCommands.ETag(member);

    internal static JsonObject Render(ScimRequest request, Member member, IReadOnlyList<MemberGroupRef>? groups) =>
        UserCommands.Render(request.Context, member, groups);
}
