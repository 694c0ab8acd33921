using System.Text.Json;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Roles;
using Roster.Directory.Storage;
using Roster.Scim.Errors;

namespace Roster.Directory.Groups;

/// <summary>A group as the console lists it: its live members counted, and the role it is mapped to (null: a team only).</summary>
public sealed record GroupListingRow(string Id, string DisplayName, long MemberCount, string? Role);

/// <summary>A page of groups and the cursor of the next (null at the end).</summary>
public sealed record GroupListingPage(IReadOnlyList<GroupListingRow> Groups, string? NextCursor);

/// <summary>
/// The console's list of an enterprise's live groups in name order, a page at a time by keyset on
/// groups_display_name (enterprise_id, display_name_key): an IdP pushing 10,000 groups does not make
/// the page read them all. Members are counted per group on the page only.
/// </summary>
public sealed class GroupListing(RosterDatabase database)
{
    public const int PageSize = 100;

    const string Query = "ConsoleGroups";

    /// <exception cref="RosterException">The cursor is not one this listing gave out.</exception>
    public Task<GroupListingPage> ReadAsync(Enterprise enterprise, string? cursor, int count = PageSize, CancellationToken cancellationToken = default)
    {
        PageCursor? position = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                position = PageCursor.Decode(cursor, Query);
            }
            catch (ScimException)
            {
                throw OutOfDate();
            }
            if (position.SortValue is not { ValueKind: JsonValueKind.String } || MemberListing.HasNul(position.Id) || MemberListing.HasNul(position.SortValue.Value.GetString()!))
                throw OutOfDate();
        }
        return database.ReadAsync(async connection =>
        {
            var command = connection.Command(
                    "SELECT g.id, g.display_name, " +
                    "(SELECT count(*) FROM group_members gm JOIN members m ON m.id = gm.member_id AND m.deleted_at IS NULL WHERE gm.group_id = g.id AND gm.enterprise_id = @e), " +
                    "gr.role, g.display_name_key FROM groups g LEFT JOIN group_roles gr ON gr.group_id = g.id AND gr.enterprise_id = g.enterprise_id " +
                    "WHERE g.enterprise_id = @e AND g.deleted_at IS NULL" +
                    (position is null ? "" : " AND g.display_name_key >= @after_key AND (g.display_name_key > @after_key OR g.id > @after_id)") +
                    " ORDER BY g.display_name_key, g.id LIMIT @limit")
                .With("@e", enterprise.Id).With("@limit", count + 1);
            if (position is not null) command.With("@after_key", position.SortValue!.Value.GetString()).With("@after_id", position.Id);
            var rows = await command.ListAsync(r => (Row: new GroupListingRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.StringOrNull(3)), Key: r.GetString(4)),
                cancellationToken);
            string? next = null;
            if (rows.Count > count)
            {
                rows.RemoveAt(rows.Count - 1);
                next = new PageCursor(0, rows[^1].Row.Id, false, Query, JsonSerializer.SerializeToElement(rows[^1].Key)).Encode();
            }
            return new GroupListingPage(rows.Select(r => r.Row).ToList(), next);
        }, cancellationToken);
    }

    /// <summary>The first <paramref name="limit"/> live groups by name, without counting their members:
    /// the choices of a filter.</summary>
    public Task<List<MemberGroupRef>> NamesAsync(Enterprise enterprise, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(
                "SELECT id, display_name FROM groups WHERE enterprise_id = @e AND deleted_at IS NULL ORDER BY display_name_key, id LIMIT @limit")
            .With("@e", enterprise.Id).With("@limit", limit)
            .ListAsync(r => new MemberGroupRef(r.GetString(0), r.GetString(1)), cancellationToken), cancellationToken);

    static RosterException OutOfDate() => new("This page link is out of date or was changed: start again from the first page.");

    /// <summary>One live group of the enterprise; null for an id of no live group of this enterprise.</summary>
    public Task<GroupListingRow?> FindAsync(Enterprise enterprise, string id, CancellationToken cancellationToken = default) =>
        MemberListing.HasNul(id) ? Task.FromResult<GroupListingRow?>(null) : database.ReadAsync(connection => connection.Command(
                "SELECT g.id, g.display_name, " +
                "(SELECT count(*) FROM group_members gm JOIN members m ON m.id = gm.member_id AND m.deleted_at IS NULL WHERE gm.group_id = g.id AND gm.enterprise_id = @e), " +
                "gr.role FROM groups g LEFT JOIN group_roles gr ON gr.group_id = g.id AND gr.enterprise_id = g.enterprise_id " +
                "WHERE g.enterprise_id = @e AND g.id = @id AND g.deleted_at IS NULL")
            .With("@e", enterprise.Id).With("@id", id)
            .SingleOrDefaultAsync(r => new GroupListingRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.StringOrNull(3)), cancellationToken),
            cancellationToken);
}
