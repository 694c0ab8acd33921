using System.Globalization;
using System.Text.Json.Nodes;

namespace Roster.Directory.Events;

/// <summary>
/// One change, as the product receives it by pull or by webhook: the same JSON either way.
/// <see cref="Cursor"/> orders an enterprise's events without gaps; <see cref="Id"/> is unique and
/// stays the same on every delivery of the event, so a consumer can drop a repeat.
/// </summary>
public sealed record DirectoryEvent(
    long Cursor, string Id, string EnterpriseId, string Type, DateTimeOffset OccurredAt, string SubjectType, string SubjectId, JsonObject Data)
{
    /// <summary>The event as JSON: <c>{id, type, cursor, occurredAt, enterpriseId, subject: {type, id}, data}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["type"] = Type,
        ["cursor"] = Cursor.ToString(CultureInfo.InvariantCulture),
        ["occurredAt"] = OccurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["enterpriseId"] = EnterpriseId,
        ["subject"] = new JsonObject { ["type"] = SubjectType, ["id"] = SubjectId },
        ["data"] = Data.DeepClone(),
    };
}
