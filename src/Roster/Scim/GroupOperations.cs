using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Directory.Groups;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Patching;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>
/// The SCIM operations on /Groups (RFC 7644 §3.3-3.6) as Okta Group Push and Entra ID drive them
/// (idp-behaviors.md §1.3, §2.2, §2.3). Members are kept apart from the group's resource: a PATCH of
/// the members changes rows of group_members by set operations, and a read that leaves members out
/// (<c>excludedAttributes=members</c>) never reads them.
/// </summary>
internal static class GroupOperations
{
    static ResourceTypeDefinition Type => ScimSchemas.GroupResourceType;

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task ListAsync(ScimRequest request, string[] path) =>
        WriteListAsync(request, ListRequest.FromQuery(request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))));

    /// <summary>POST /Groups/.search (RFC 7644 §3.4.3): the list, with its parameters in the body.</summary>
    public static async Task SearchAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        await WriteListAsync(request, ListRequest.FromSearchBody(body));
    }

    static async Task WriteListAsync(ScimRequest request, ListRequest list)
    {
        var condition = Condition(request, list);
        var sort = list.SortAttribute(Type) is { } attribute ? GroupFilterTranslator.Sort(attribute, list.SortOrder) : null;
        var projection = ResourceProjection.Parse(list.Attributes, list.ExcludedAttributes, Type);
        List<Group> page;
        JsonObject envelope;
        List<JsonNode> resources;
        if (list.Cursor is not null)
        {
            var byCursor = await request.Directory.Groups.ListByCursorAsync(request.Enterprise, condition, list.Filter, list.Count, list.Cursor, sort,
                request.Aborted);
            page = byCursor.Page;
            resources = page.Select(g => (JsonNode)projection.Apply(Render(request, g))).ToList();
            envelope = ListResponse.CreateForCursor(resources, byCursor.Total, byCursor.NextCursor, byCursor.PreviousCursor);
        }
        else
        {
            var (total, indexPage) = await request.Directory.Groups.ListAsync(request.Enterprise, condition, list.StartIndex, list.Count, sort?.OrderBy,
                request.Aborted);
            page = indexPage;
            resources = page.Select(g => (JsonNode)projection.Apply(Render(request, g))).ToList();
            envelope = ListResponse.Create(resources, total, list.StartIndex);
        }
        if (!IncludesMembers(projection) || page.Count == 0)
        {
            await ScimHttp.WriteAsync(request.Http.Response, 200, envelope, request.Aborted);
            return;
        }

        // Each group's members are written as they are read, one group after the other: a page of
        // large groups is never in memory at once.
        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = ScimHttp.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body, WriterOptions);
        writer.WriteStartObject();
        foreach (var (key, value) in envelope)
        {
            writer.WritePropertyName(key);
            if (key != "Resources")
            {
                WriteNode(writer, value);
                continue;
            }
            writer.WriteStartArray();
            for (var i = 0; i < page.Count; i++) await WriteWithMembersAsync(request, writer, (JsonObject)resources[i], page[i], projection);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(request.Aborted);
    }

    static void WriteNode(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null) writer.WriteNullValue();
        else value.WriteTo(writer);
    }

    /// <summary>The list's filter as SQL (<see cref="GroupFilterTranslator"/>), or null for none.</summary>
    internal static SqlCondition? Condition(ScimRequest request, ListRequest list)
    {
        if (list.Filter is not { } text) return null;
        if (text.Trim().Length == 0) throw ScimException.InvalidFilter("The filter is empty.");
        return new GroupFilterTranslator(request.Directory.Database.Dialect).Translate(ScimFilterParser.Parse(text, Type));
    }

    public static async Task GetAsync(ScimRequest request, string[] path)
    {
        var group = await request.Directory.Groups.GetAsync(request.Enterprise, path[1], request.Aborted);
        if (ScimHttp.AnsweredNotModified(request.Http, group.Version, ETag(group))) return;
        await WriteGroupAsync(request, 200, group);
    }

    public static async Task CreateAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        var result = await GroupCommands.CreateAsync(request.Context, body, request.Attempt);
        request.Http.Response.Headers.Location = result.Location;
        await WriteGroupAsync(request, 201, result.Group!);
    }

    /// <summary>PUT replaces displayName, externalId and the member set (members left out: none).</summary>
    public static async Task ReplaceAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        var result = await GroupCommands.ReplaceAsync(request.Context, path[1], body, IfMatch(request), request.Attempt);
        await WriteGroupAsync(request, 200, result.Group!);
    }

    /// <summary>PATCH: 204, unless the request asks for attributes (then 200 and the group), as Entra
    /// prefers.</summary>
    public static async Task PatchAsync(ScimRequest request, string[] path)
    {
        var body = await ScimHttp.ReadJsonAsync(request);
        var list = ListRequest.FromQuery(request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())));
        var answer = list.Attributes is not null || list.ExcludedAttributes is not null;
        var result = await GroupCommands.PatchAsync(request.Context, path[1], body, IfMatch(request), request.Attempt, answer ? 200 : 204);
        if (answer)
        {
            await WriteGroupAsync(request, 200, result.Group!);
            return;
        }
        request.Http.Response.Headers.ETag = result.ETag;
        request.Http.Response.StatusCode = 204;
    }

    public static async Task DeleteAsync(ScimRequest request, string[] path)
    {
        await GroupCommands.DeleteAsync(request.Context, path[1], IfMatch(request), request.Attempt);
        request.Http.Response.StatusCode = 204;
    }

    /// <summary>Separates the operations on members from the others, in order.</summary>
    internal static (List<PatchOperation> Attributes, List<MembershipChange> Membership) Split(PatchRequest patch)
    {
        var attributes = new List<PatchOperation>();
        var membership = new List<MembershipChange>();
        foreach (var op in patch.Operations)
        {
            try
            {
                if (op.Path is { } path && IsMembers(path.Attribute))
                {
                    if (path.SubAttribute is not null || path.Attribute.SubAttribute is not null)
                        throw ScimException.InvalidPath("members are added and removed whole; their sub-attributes cannot be changed.");
                    switch (op.Type)
                    {
                        case PatchOperationType.Add when path.ValueFilter is null:
                            membership.Add(new MembershipChange(MembershipChangeKind.Add, MemberIds(op.Value)));
                            break;
                        case PatchOperationType.Replace when path.ValueFilter is null:
                            membership.Add(new MembershipChange(MembershipChangeKind.Replace, MemberIds(op.Value)));
                            break;
                        case PatchOperationType.Remove when path.ValueFilter is { } filter:
                            membership.Add(new MembershipChange(MembershipChangeKind.Remove, FilterIds(filter)));
                            break;
                        case PatchOperationType.Remove when op.Value is not null:
                            // Entra ID's legacy form: the members to remove in the value.
                            membership.Add(new MembershipChange(MembershipChangeKind.Remove, MemberIds(op.Value)));
                            break;
                        case PatchOperationType.Remove:
                            membership.Add(new MembershipChange(MembershipChangeKind.RemoveAll, []));
                            break;
                        default:
                            throw ScimException.InvalidPath($"'{path}' with a filter can only be removed; add members with the path \"members\".");
                    }
                    continue;
                }
                if (op.Path is null && op.Value is JsonObject value && value.Any(p => IsMembersKey(p.Key)))
                {
                    var rest = new JsonObject();
                    foreach (var (key, node) in value)
                    {
                        if (IsMembersKey(key))
                        {
                            if (node is null) continue;
                            var kind = op.Type == PatchOperationType.Replace ? MembershipChangeKind.Replace : MembershipChangeKind.Add;
                            membership.Add(new MembershipChange(kind, MemberIds(node)));
                        }
                        else rest[key] = node?.DeepClone();
                    }
                    if (rest.Count > 0) attributes.Add(op with { Value = rest });
                    continue;
                }
                attributes.Add(op);
            }
            catch (ScimException e) when (!e.Detail.StartsWith("Operations[", StringComparison.Ordinal))
            {
                throw new ScimException(e.Status, e.ScimType, $"Operations[{op.Index}]: {e.Detail}");
            }
        }
        return (attributes, membership);
    }

    static bool IsMembers(AttributePath path) => path.Parent is null && !path.IsExtension && path.AttributeName == "members";

    static bool IsMembersKey(string key) =>
        string.Equals(key, "members", StringComparison.OrdinalIgnoreCase)
        || string.Equals(key, ScimSchemas.GroupUrn + ":members", StringComparison.OrdinalIgnoreCase);

    static AttributeDefinition MembersAttribute => Type.Schema.FindAttribute("members")!;

    /// <summary>The ids of a members value: an array of member objects (or one), each with a
    /// <c>value</c>; <c>$ref: null</c> (Entra) and <c>display</c> (Okta) are ignored. Members are Users.</summary>
    internal static List<string> MemberIds(JsonNode? value)
    {
        if (value is null) return [];
        if (value is JsonObject one) value = new JsonArray(one.DeepClone());
        var normalized = ResourceNormalizer.NormalizeValue(MembersAttribute, value, "members") as JsonArray ?? [];
        var ids = new List<string>(normalized.Count);
        foreach (var element in normalized)
        {
            if (element is not JsonObject member || member["value"] is not JsonValue v || !v.TryGetValue<string>(out var id) || id.Length == 0)
                throw ScimException.InvalidValue("each member must have a \"value\": the id of a User.");
            if (member["type"] is JsonValue t && t.TryGetValue<string>(out var type) && !string.Equals(type, "User", StringComparison.OrdinalIgnoreCase))
                throw ScimException.InvalidValue($"members of type '{type}' are not supported: a Group's members are Users.");
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>The ids a removal filter names: <c>value eq "id"</c>, or several joined with <c>or</c>.</summary>
    static List<string> FilterIds(ScimFilter filter) => filter switch
    {
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value: StringLiteral s } c when c.Path.AttributeName == "value" => [s.Value],
        LogicalFilter { Operator: LogicalOperator.Or } l => [.. FilterIds(l.Left), .. FilterIds(l.Right)],
        _ => throw ScimException.InvalidFilter($"members are removed by value: members[value eq \"id\"]; '{filter}' is not supported."),
    };

    internal static bool IncludesMembers(ResourceProjection projection)
    {
        if (projection.IsEverything) return true;
        var probe = new JsonObject { ["displayName"] = "x", ["members"] = new JsonArray(new JsonObject { ["value"] = "x", ["display"] = "x" }) };
        return projection.Apply(probe).ContainsKey("members");
    }

    static async Task WriteGroupAsync(ScimRequest request, int status, Group group)
    {
        var list = ListRequest.FromQuery(request.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())));
        var projection = ResourceProjection.Parse(list.Attributes, list.ExcludedAttributes, Type);
        var response = request.Http.Response;
        response.Headers.ETag = ETag(group);
        var resource = projection.Apply(Render(request, group));
        if (!IncludesMembers(projection))
        {
            await ScimHttp.WriteAsync(response, status, resource, request.Aborted);
            return;
        }

        // The members are written as they are read: a group of 50,000 is never one array in memory.
        response.StatusCode = status;
        response.ContentType = ScimHttp.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body, WriterOptions);
        await WriteWithMembersAsync(request, writer, resource, group, projection);
        await writer.FlushAsync(request.Aborted);
    }

    /// <summary>Writes a rendered group (without members) with its members, read from the store as
    /// they are written, before <c>meta</c>.</summary>
    internal static async Task WriteWithMembersAsync(ScimRequest request, Utf8JsonWriter writer, JsonObject resource, Group group, ResourceProjection projection)
    {
        writer.WriteStartObject();
        var written = false;
        foreach (var (key, value) in resource)
        {
            if (key == "meta" && !written)
            {
                await WriteMembersAsync(request, writer, group, projection);
                written = true;
            }
            writer.WritePropertyName(key);
            WriteNode(writer, value);
        }
        if (!written) await WriteMembersAsync(request, writer, group, projection);
        writer.WriteEndObject();
    }

    static async Task WriteMembersAsync(ScimRequest request, Utf8JsonWriter writer, Group group, ResourceProjection projection)
    {
        writer.WritePropertyName("members");
        writer.WriteStartArray();
        await foreach (var member in request.Directory.Groups.StreamMembersAsync(request.Enterprise, group.Id, request.Aborted))
        {
            var element = MemberElement(request, member);
            if (!projection.IsEverything)
            {
                var kept = projection.Apply(new JsonObject { ["members"] = new JsonArray(element) })["members"] as JsonArray;
                if (kept is not [JsonObject only]) continue;
                element = only;
            }
            element.WriteTo(writer);
            if (writer.BytesPending > 32 * 1024) await writer.FlushAsync(request.Aborted);
        }
        writer.WriteEndArray();
    }

    static JsonObject MemberElement(ScimRequest request, GroupMemberRef member)
    {
        var element = new JsonObject
        {
            ["value"] = member.MemberId,
            ["$ref"] = UserCommands.Location(request.Context, member.MemberId),
            ["type"] = "User",
        };
        if (member.Display is not null) element["display"] = member.Display;
        return element;
    }

    /// <summary>The group without its members: those are written apart (<see cref="WriteWithMembersAsync"/>).</summary>
    internal static JsonObject Render(ScimRequest request, Group group) =>
        ResourceWriter.Render(Type, group.Id, group.Resource,
            new ResourceMeta(group.Created, group.LastModified, group.Version, Location(request, group.Id)));

    static string Location(ScimRequest request, string id) => GroupCommands.Location(request.Context, id);

    static string ETag(Group group) => GroupCommands.ETag(group);

    static EntityTagCondition? IfMatch(ScimRequest request) => EntityTagCondition.Parse(request.Http.Request.Headers.IfMatch);
}
