using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Provisioning;
using Roster.Directory.Roles;
using Roster.Directory.Storage;
using Roster.Scim.Errors;

namespace Roster.Directory.Groups;

/// <summary>
/// The groups of enterprises. Each write runs in one transaction with its provisioning record. Members
/// live in group_members, one row a membership: a membership change costs in proportion to the members
/// it changes, never to the size of the group.
/// </summary>
public sealed class GroupDirectory(RosterDatabase database, ProvisioningLog log, TimeProvider clock)
{

    /// <summary>Ids per statement: well below the parameter limits of SQLite and PostgreSQL.</summary>
    const int Chunk = 500;

    const string Columns = "id, enterprise_id, display_name, external_id, resource, created_at, last_modified, version";

    /// <param name="resource">The canonical resource without members.</param>
    /// <param name="memberIds">The members it starts with: each must be a live member of the enterprise.</param>
    public async Task<Group> CreateAsync(Enterprise enterprise, JsonObject resource, IReadOnlyList<string> memberIds, ProvisioningAttempt attempt,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var displayName = DisplayNameOf(resource);
        var group = new Group(Identifiers.NewId(), enterprise.Id, displayName, Text(resource["externalId"]), resource, now, now, 1);
        attempt.TargetId = group.Id;
        attempt.TargetName = displayName;
        try
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                var ids = memberIds.Distinct(StringComparer.Ordinal).ToList();
                await RequireMembersAsync(connection, transaction, enterprise, ids, cancellationToken);
                await connection.Command(
                        "INSERT INTO groups (id, enterprise_id, display_name, display_name_key, external_id, resource, version, created_at, last_modified) " +
                        "VALUES (@id, @e, @dn, @dnk, @ext, @resource, 1, @now, @now)", transaction)
                    .With("@id", group.Id).With("@e", enterprise.Id).With("@dn", displayName).With("@dnk", Key(displayName))
                    .With("@ext", group.ExternalId).With(database.Dialect.JsonParameter("@resource", resource.ToJsonString()))
                    .With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
                var added = await InsertMembersAsync(connection, transaction, enterprise, group.Id, ids, now, cancellationToken);
                attempt.Effect = added.Count > 0 ? $"created, members +{added.Count}" : "created";
                var events = new EventBatch(enterprise.Id);
                events.Group(EventTypes.GroupCreated, group.Id, EventData.Group(group.Id, displayName, group.ExternalId));
                foreach (var memberId in added)
                    events.Group(EventTypes.MembershipAdded, group.Id, EventData.Membership(group.Id, displayName, group.ExternalId, memberId));
                await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
                await events.WriteAsync(connection, transaction, now, cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw DisplayNameTaken(displayName);
        }
        return group;
    }

    public async Task<Group> GetAsync(Enterprise enterprise, string id, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(c => FindAsync(c, null, enterprise, id, forUpdate: false, cancellationToken), cancellationToken)
        ?? throw NotFound(id);

    /// <summary>One page of the enterprise's groups that satisfy <paramref name="condition"/>, in
    /// <paramref name="orderBy"/>'s order then creation order, and how many there are in all.</summary>
    public Task<(long Total, List<Group> Page)> ListAsync(Enterprise enterprise, SqlCondition? condition, int startIndex, int count,
        string? orderBy = null, CancellationToken cancellationToken = default) =>
        Listing.ReadPageAsync(database, enterprise.Id, condition, startIndex, count, orderBy, cancellationToken);

    /// <summary>A page by cursor (RFC 9865): in the default order, or by <paramref name="sort"/>; keyset
    /// paging, so each page is an index range scan from the cursor's key.</summary>
    public Task<CursorPage<Group>> ListByCursorAsync(Enterprise enterprise, SqlCondition? condition, string? filterText, int count,
        string? cursor, ListSort? sort = null, CancellationToken cancellationToken = default) =>
        Listing.ReadCursorPageAsync(database, enterprise.Id, condition, PageCursor.Fingerprint("Group", filterText, sort), count, cursor, sort,
            cancellationToken);

    static readonly EnterpriseListing<Group> Listing = new("groups", Columns, Read, row => (row.Created, row.Id));

    /// <summary>The members of a group, read as they are written out: a group of 50,000 is never one
    /// list in memory.</summary>
    public async IAsyncEnumerable<GroupMemberRef> StreamMembersAsync(Enterprise enterprise, string groupId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "SELECT gm.member_id, COALESCE(m.display_name, m.user_name) FROM group_members gm JOIN members m ON m.id = gm.member_id " +
                "WHERE gm.group_id = @g AND gm.enterprise_id = @e AND m.deleted_at IS NULL ORDER BY gm.member_id")
            .With("@g", groupId).With("@e", enterprise.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return new GroupMemberRef(reader.GetString(0), reader.StringOrNull(1));
    }

    /// <summary>The groups of several members (a page of Users), in one query a chunk of members.</summary>
    public Task<Dictionary<string, List<MemberGroupRef>>> GroupsOfAsync(Enterprise enterprise, IReadOnlyList<string> memberIds,
        CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection =>
        {
            var result = new Dictionary<string, List<MemberGroupRef>>(StringComparer.Ordinal);
            foreach (var chunk in memberIds.Distinct(StringComparer.Ordinal).Chunk(Chunk))
            {
                var sql = "SELECT gm.member_id, g.id, g.display_name FROM group_members gm JOIN groups g ON g.id = gm.group_id " +
                          $"WHERE gm.enterprise_id = @e AND g.deleted_at IS NULL AND gm.member_id IN ({SqlCommands.ParameterList("@m", chunk.Length)}) " +
                          "ORDER BY gm.member_id, g.display_name_key, g.id";
                // One member's groups (a GET, a write's answer) is a lookup by key; a page's is an IN list.
                var command = (chunk.Length == 1 ? connection.PreparedCommand(sql) : connection.Command(sql))
                    .WithList("@m", chunk).With("@e", enterprise.Id);
                var rows = await command.ListAsync(r => (Member: r.GetString(0), Ref: new MemberGroupRef(r.GetString(1), r.GetString(2))), cancellationToken);
                foreach (var row in rows)
                {
                    if (!result.TryGetValue(row.Member, out var list)) result[row.Member] = list = [];
                    list.Add(row.Ref);
                }
            }
            return result;
        }, cancellationToken);

    /// <summary>
    /// Changes a group, its row locked: <paramref name="change"/> gets the stored group and returns its
    /// new resource (without members); <paramref name="membership"/> changes its member set in order,
    /// by set operations in SQL that never read the group's members (but a <see cref="MembershipChangeKind.Replace"/>,
    /// which is about the whole set). Every member added must be a live member of the enterprise, or
    /// nothing is changed.
    /// </summary>
    public async Task<Group> UpdateAsync(Enterprise enterprise, string id, Func<Group, JsonObject> change, IReadOnlyList<MembershipChange> membership,
        ProvisioningAttempt attempt, CancellationToken cancellationToken = default)
    {
        attempt.TargetId = id;
        string? attemptedName = null;
        try
        {
            return await database.InTransactionAsync(async (connection, transaction) =>
            {
                var current = await FindAsync(connection, transaction, enterprise, id, forUpdate: true, cancellationToken) ?? throw NotFound(id);
                attempt.TargetName = current.DisplayName;
                var resource = change(current);
                var displayName = DisplayNameOf(resource);
                attemptedName = displayName;
                attempt.TargetName = displayName; // a rename is logged under the new name

                var toAdd = membership.Where(c => c.Kind is MembershipChangeKind.Add or MembershipChangeKind.Replace)
                    .SelectMany(c => c.MemberIds).Distinct(StringComparer.Ordinal).ToList();
                await RequireMembersAsync(connection, transaction, enterprise, toAdd, cancellationToken);

                var now = clock.GetUtcNow();
                long added = 0, removed = 0;
                // Each membership that changed, in the order the operations changed it.
                var steps = new List<(string MemberId, bool Joined)>();
                foreach (var step in membership)
                {
                    var ids = step.MemberIds.Distinct(StringComparer.Ordinal).ToList();
                    List<string> stepAdded = [], stepRemoved = [];
                    switch (step.Kind)
                    {
                        case MembershipChangeKind.Add:
                            stepAdded = await InsertMembersAsync(connection, transaction, enterprise, id, ids, now, cancellationToken);
                            break;
                        case MembershipChangeKind.Remove:
                            stepRemoved = await DeleteMembersAsync(connection, transaction, id, ids, cancellationToken);
                            break;
                        case MembershipChangeKind.RemoveAll:
                            stepRemoved = await connection.Command("DELETE FROM group_members WHERE group_id = @g RETURNING member_id", transaction)
                                .With("@g", id).ListAsync(r => r.GetString(0), cancellationToken);
                            break;
                        case MembershipChangeKind.Replace:
                            var existing = await connection.Command("SELECT member_id FROM group_members WHERE group_id = @g", transaction)
                                .With("@g", id).ListAsync(r => r.GetString(0), cancellationToken);
                            var wanted = ids.ToHashSet(StringComparer.Ordinal);
                            stepRemoved = await DeleteMembersAsync(connection, transaction, id, existing.Where(m => !wanted.Contains(m)).ToList(), cancellationToken);
                            stepAdded = await InsertMembersAsync(connection, transaction, enterprise, id, ids, now, cancellationToken);
                            break;
                    }
                    added += stepAdded.Count;
                    removed += stepRemoved.Count;
                    steps.AddRange(stepRemoved.Select(m => (m, false)));
                    steps.AddRange(stepAdded.Select(m => (m, true)));
                }

                var renamed = !string.Equals(displayName, current.DisplayName, StringComparison.Ordinal);
                var updated = !JsonNode.DeepEquals(resource, current.Resource);
                var effects = new List<string>();
                if (renamed) effects.Add("renamed");
                else if (updated) effects.Add("updated");
                if (added > 0 || removed > 0) effects.Add(string.Create(CultureInfo.InvariantCulture, $"members +{added} -{removed}"));
                attempt.Effect = effects.Count == 0 ? "unchanged" : string.Join(", ", effects);
                if (effects.Count == 0)
                {
                    await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
                    return current;
                }
                var externalId = Text(resource["externalId"]);
                var events = new EventBatch(enterprise.Id);
                if (updated) events.Group(EventTypes.GroupUpdated, id, EventData.Group(id, displayName, externalId));
                foreach (var (memberId, joined) in steps)
                    events.Group(joined ? EventTypes.MembershipAdded : EventTypes.MembershipRemoved, id,
                        EventData.Membership(id, displayName, externalId, memberId));
                if (steps.Count > 0 && await RoleChanges.MappedRankAsync(connection, transaction, enterprise.Id, id, cancellationToken) is { } rank)
                {
                    // By net change: a member removed and added back by one PATCH has the role they had.
                    var first = new Dictionary<string, bool>(StringComparer.Ordinal);
                    var last = new Dictionary<string, bool>(StringComparer.Ordinal);
                    foreach (var (memberId, joined) in steps)
                    {
                        first.TryAdd(memberId, joined);
                        last[memberId] = joined;
                    }
                    var netJoined = first.Keys.Where(m => first[m] && last[m]).ToList();
                    var netLeft = first.Keys.Where(m => !first[m] && !last[m]).ToList();
                    await RoleChanges.MembershipChangedAsync(connection, transaction, enterprise.Id, id, displayName, rank, netJoined, netLeft, events,
                        cancellationToken);
                }
                await connection.Command(
                        "UPDATE groups SET display_name = @dn, display_name_key = @dnk, external_id = @ext, resource = @resource, " +
                        "version = version + 1, last_modified = @now WHERE id = @id AND enterprise_id = @e", transaction)
                    .With("@dn", displayName).With("@dnk", Key(displayName)).With("@ext", Text(resource["externalId"]))
                    .With(database.Dialect.JsonParameter("@resource", resource.ToJsonString()))
                    .With("@now", now.ToDb()).With("@id", id).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
                await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
                await events.WriteAsync(connection, transaction, now, cancellationToken);
                return current with
                {
                    DisplayName = displayName, ExternalId = Text(resource["externalId"]), Resource = resource, LastModified = now,
                    Version = current.Version + 1,
                };
            }, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw DisplayNameTaken(attemptedName ?? "");
        }
    }

    /// <summary>Deletes the group, its memberships and its role mapping; the row stays (deleted) for the history that
    /// refers to it, and its displayName is free again.</summary>
    public async Task DeleteAsync(Enterprise enterprise, string id, ProvisioningAttempt attempt, Action<Group>? precondition = null,
        CancellationToken cancellationToken = default)
    {
        attempt.TargetId = id;
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await FindAsync(connection, transaction, enterprise, id, forUpdate: true, cancellationToken) ?? throw NotFound(id);
            attempt.TargetName = current.DisplayName;
            precondition?.Invoke(current);
            var rank = await RoleChanges.MappedRankAsync(connection, transaction, enterprise.Id, id, cancellationToken);
            var removed = await connection.Command("DELETE FROM group_members WHERE group_id = @g RETURNING member_id", transaction)
                .With("@g", id).ListAsync(r => r.GetString(0), cancellationToken);
            await connection.Command("DELETE FROM group_roles WHERE group_id = @g AND enterprise_id = @e", transaction)
                .With("@g", id).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE groups SET deleted_at = @now, last_modified = @now, version = version + 1 WHERE id = @id AND enterprise_id = @e", transaction)
                .With("@now", now.ToDb()).With("@id", id).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            attempt.Effect = removed.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"deleted, members -{removed.Count}") : "deleted";
            var events = new EventBatch(enterprise.Id);
            foreach (var memberId in removed)
                events.Group(EventTypes.MembershipRemoved, id, EventData.Membership(id, current.DisplayName, current.ExternalId, memberId));
            if (rank is { } mapped)
                await RoleChanges.MembershipChangedAsync(connection, transaction, enterprise.Id, id, current.DisplayName, mapped, [], removed, events, cancellationToken);
            events.Group(EventTypes.GroupDeleted, id, EventData.Group(id, current.DisplayName, current.ExternalId));
            await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
            await events.WriteAsync(connection, transaction, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Ends every membership of a member, inside the caller's transaction (the member's
    /// deletion): each group it leaves has a new version.</summary>
    internal static async Task<int> RemoveMemberAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string memberId,
        DateTimeOffset now, EventBatch events, CancellationToken cancellationToken)
    {
        var groups = await connection.Command(
                "SELECT g.id, g.display_name, g.external_id FROM group_members gm JOIN groups g ON g.id = gm.group_id " +
                "WHERE gm.member_id = @m AND gm.enterprise_id = @e ORDER BY g.id", transaction)
            .With("@m", memberId).With("@e", enterprise.Id).ListAsync(r => (Id: r.GetString(0), Name: r.GetString(1), ExternalId: r.StringOrNull(2)), cancellationToken);
        if (groups.Count == 0) return 0;
        await connection.Command(
                "UPDATE groups SET version = version + 1, last_modified = @now " +
                "WHERE id IN (SELECT group_id FROM group_members WHERE member_id = @m) AND deleted_at IS NULL", transaction)
            .With("@now", now.ToDb()).With("@m", memberId).ExecuteAsync(cancellationToken);
        foreach (var group in groups)
            events.Group(EventTypes.MembershipRemoved, group.Id, EventData.Membership(group.Id, group.Name, group.ExternalId, memberId));
        return await connection.Command("DELETE FROM group_members WHERE member_id = @m", transaction).With("@m", memberId).ExecuteAsync(cancellationToken);
    }

    /// <summary>Fails with invalidValue, naming some, when an id is not a live member of the enterprise:
    /// one query a chunk of ids.</summary>
    static async Task RequireMembersAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var command = connection.Command(
                    $"SELECT id FROM members WHERE enterprise_id = @e AND deleted_at IS NULL AND id IN ({SqlCommands.ParameterList("@m", chunk.Length)})",
                    transaction)
                .WithList("@m", chunk).With("@e", enterprise.Id);
            var found = (await command.ListAsync(r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(chunk.Where(id => !found.Contains(id)));
        }
        if (missing.Count > 0)
        {
            var named = string.Join(", ", missing.Take(5).Select(m => $"'{m}'"));
            throw ScimException.InvalidValue(
                $"members: {missing.Count} value(s) are not Users of this enterprise ({named}{(missing.Count > 5 ? ", ..." : "")}); nothing was changed.");
        }
    }

    /// <summary>Adds the members not in the group yet; returns those it added.</summary>
    static async Task<List<string>> InsertMembersAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string groupId,
        IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new List<string>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var rows = string.Join(", ", Enumerable.Range(0, chunk.Length).Select(i => $"(@g, @m{i.ToString(CultureInfo.InvariantCulture)}, @e, @now)"));
            var command = connection.Command(
                    $"INSERT INTO group_members (group_id, member_id, enterprise_id, added_at) VALUES {rows} ON CONFLICT DO NOTHING RETURNING member_id",
                    transaction)
                .WithList("@m", chunk).With("@g", groupId).With("@e", enterprise.Id).With("@now", now.ToDb());
            inserted.AddRange(await command.ListAsync(r => r.GetString(0), cancellationToken));
        }
        return inserted;
    }

    /// <summary>Removes those of the members who are in the group; returns those it removed.</summary>
    static async Task<List<string>> DeleteMembersAsync(DbConnection connection, DbTransaction transaction, string groupId, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var command = connection.Command(
                    $"DELETE FROM group_members WHERE group_id = @g AND member_id IN ({SqlCommands.ParameterList("@m", chunk.Length)}) RETURNING member_id",
                    transaction)
                .WithList("@m", chunk).With("@g", groupId);
            deleted.AddRange(await command.ListAsync(r => r.GetString(0), cancellationToken));
        }
        return deleted;
    }

    Task<Group?> FindAsync(DbConnection connection, DbTransaction? transaction, Enterprise enterprise, string id, bool forUpdate,
        CancellationToken cancellationToken) =>
        connection.PreparedCommand($"SELECT {Columns} FROM groups WHERE enterprise_id = @e AND id = @id AND deleted_at IS NULL" +
                           (forUpdate ? database.Dialect.ForUpdate : ""), transaction)
            .With("@e", enterprise.Id).With("@id", id).SingleOrDefaultAsync(Read, cancellationToken);

    static Group Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.StringOrNull(3),
        JsonNode.Parse(r.GetString(4)) as JsonObject ?? throw new JsonException("A stored resource is not a JSON object."),
        r.Time(5), r.Time(6), r.GetInt64(7));

    public static string Key(string value) => Roster.Scim.Text.ScimText.Fold(value);

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static string DisplayNameOf(JsonObject resource) =>
        Text(resource["displayName"]) is { } name && name.Trim().Length > 0 ? name : throw ScimException.InvalidValue("\"displayName\" is required and must not be empty.");

    static ScimException NotFound(string id) => ScimException.NotFound($"No Group with id '{id}' in this enterprise.");

    static ScimException DisplayNameTaken(string displayName) =>
        ScimException.Conflict($"A Group with displayName '{displayName}' already exists in this enterprise (displayName is compared without regard to case).");
}
