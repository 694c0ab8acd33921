using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Groups;
using Roster.Directory.Storage;

namespace Roster.Directory.Roles;

/// <summary>The roles of an enterprise, highest first: a member with several mapped groups has the
/// highest of their roles.</summary>
public static class EnterpriseRole
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";
    public const string Guest = "guest";

    /// <summary>Every role, highest first.</summary>
    public static readonly IReadOnlyList<string> All = [Owner, Admin, Member, Guest];

    /// <summary>The role of a member no mapped group names.</summary>
    public const string Default = Member;

    public static bool IsRole(string value) => All.Contains(value, StringComparer.Ordinal);

    /// <summary>The rank SQL compares (owner 4 … guest 1): the highest rank wins.</summary>
    internal static int Rank(string role) => role switch
    {
        Owner => 4,
        Admin => 3,
        Member => 2,
        Guest => 1,
        _ => throw new ArgumentException($"Unknown role '{role}'.", nameof(role)),
    };

    internal static string OfRank(long rank) => rank switch
    {
        4 => Owner,
        3 => Admin,
        2 => Member,
        1 => Guest,
        _ => throw new InvalidOperationException($"Unknown role rank {rank}."),
    };

    /// <summary>The rank of a group_roles row aliased <paramref name="alias"/>, in SQL.</summary>
    internal static string RankSql(string alias) =>
        $"CAST(CASE {alias}.role WHEN 'owner' THEN 4 WHEN 'admin' THEN 3 WHEN 'member' THEN 2 WHEN 'guest' THEN 1 END AS bigint)";
}

/// <summary>A group mapped to a role.</summary>
public sealed record RoleMapping(string GroupId, string GroupDisplayName, string Role, DateTimeOffset CreatedAt);

/// <summary>A member as the product sees it: its role, computed from its groups, and those groups
/// (mapped or not: unmapped groups are teams).</summary>
public sealed record MemberWithRole(string Id, string UserName, string? DisplayName, bool Active, string Role, IReadOnlyList<MemberGroupRef> Groups);

/// <summary>
/// IdP groups mapped to roles. A member's role is computed by SQL from group_members and group_roles
/// on every read — one query for one member, one for a page — so it changes the moment a membership
/// or a mapping does. Every query is scoped to the enterprise.
/// </summary>
public sealed class RoleMappings(RosterDatabase database, GroupDirectory groups, TimeProvider clock)
{
    /// <summary>The highest mapped rank of each member (group_members ⋈ group_roles of live groups),
    /// for the members of enterprise @e.</summary>
    static readonly string RanksSql =
        $"SELECT gm.member_id, MAX({EnterpriseRole.RankSql("gr")}) AS role_rank FROM group_members gm " +
        "JOIN group_roles gr ON gr.group_id = gm.group_id AND gr.enterprise_id = gm.enterprise_id " +
        "JOIN groups g ON g.id = gm.group_id AND g.deleted_at IS NULL " +
        "WHERE gm.enterprise_id = @e GROUP BY gm.member_id";

    /// <summary>Maps a group (by id, or by displayName without regard to case) to a role, or changes
    /// the role it is mapped to.</summary>
    internal Task<RoleMapping> MapAsync(Enterprise enterprise, string groupIdOrName, string role, CancellationToken cancellationToken = default) =>
        MapAsync(enterprise, groupIdOrName, role, actor: null, cancellationToken);

    /// <summary>Maps a group to a role, recording in the same transaction that <paramref name="actor"/> did.</summary>
    public Task<RoleMapping> MapAsync(Enterprise enterprise, string groupIdOrName, string role, AuditActor? actor, CancellationToken cancellationToken = default)
    {
        if (!EnterpriseRole.IsRole(role)) throw new RosterException($"Unknown role '{role}': one of {string.Join(", ", EnterpriseRole.All)}.");
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var (groupId, displayName) = await FindGroupAsync(connection, transaction, enterprise, groupIdOrName, cancellationToken);
            var now = clock.GetUtcNow();
            var before = await RoleChanges.MappedRankAsync(connection, transaction, enterprise.Id, groupId, cancellationToken);
            await connection.Command(
                    "INSERT INTO group_roles (enterprise_id, group_id, role, created_at) VALUES (@e, @g, @role, @now) " +
                    "ON CONFLICT (enterprise_id, group_id) DO UPDATE SET role = excluded.role", transaction)
                .With("@e", enterprise.Id).With("@g", groupId).With("@role", role).With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
            var createdAt = await connection.Command("SELECT created_at FROM group_roles WHERE enterprise_id = @e AND group_id = @g", transaction)
                .With("@e", enterprise.Id).With("@g", groupId).ScalarLongAsync(cancellationToken);
            var events = new EventBatch(enterprise.Id);
            await RoleChanges.MappingChangedAsync(connection, transaction, enterprise.Id, groupId, displayName, before, EnterpriseRole.Rank(role), events,
                cancellationToken);
            await events.WriteAsync(connection, transaction, now, cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.RoleMapped,
                $"Group '{displayName}' ({groupId}) mapped to the role {role}", now, cancellationToken);
            return new RoleMapping(groupId, displayName, role, DateTimeOffset.FromUnixTimeMilliseconds(createdAt));
        }, cancellationToken);
    }

    /// <summary>Removes a group's mapping: its members keep the group as a team.</summary>
    internal Task<RoleMapping> UnmapAsync(Enterprise enterprise, string groupIdOrName, CancellationToken cancellationToken = default) =>
        UnmapAsync(enterprise, groupIdOrName, actor: null, cancellationToken);

    /// <summary>Removes a group's mapping, recording in the same transaction that <paramref name="actor"/> did.</summary>
    public Task<RoleMapping> UnmapAsync(Enterprise enterprise, string groupIdOrName, AuditActor? actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var (groupId, displayName) = await FindGroupAsync(connection, transaction, enterprise, groupIdOrName, cancellationToken);
            var mapping = await connection.Command("SELECT role, created_at FROM group_roles WHERE enterprise_id = @e AND group_id = @g", transaction)
                              .With("@e", enterprise.Id).With("@g", groupId)
                              .SingleOrDefaultAsync(r => new RoleMapping(groupId, displayName, r.GetString(0), r.Time(1)), cancellationToken)
                          ?? throw new RosterException($"Group '{displayName}' is not mapped to a role.");
            await connection.Command("DELETE FROM group_roles WHERE enterprise_id = @e AND group_id = @g", transaction)
                .With("@e", enterprise.Id).With("@g", groupId).ExecuteAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var events = new EventBatch(enterprise.Id);
            await RoleChanges.MappingChangedAsync(connection, transaction, enterprise.Id, groupId, displayName, EnterpriseRole.Rank(mapping.Role), null, events,
                cancellationToken);
            await events.WriteAsync(connection, transaction, now, cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.RoleUnmapped,
                $"Group '{displayName}' ({groupId}) no longer mapped to the role {mapping.Role}", now, cancellationToken);
            return mapping;
        }, cancellationToken);

    /// <summary>The enterprise's mappings, highest role first, then by group name.</summary>
    public Task<List<RoleMapping>> ListAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(
                "SELECT gr.group_id, g.display_name, gr.role, gr.created_at FROM group_roles gr JOIN groups g ON g.id = gr.group_id " +
                $"WHERE gr.enterprise_id = @e AND g.deleted_at IS NULL ORDER BY {EnterpriseRole.RankSql("gr")} DESC, g.display_name_key, g.id")
            .With("@e", enterprise.Id)
            .ListAsync(r => new RoleMapping(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3)), cancellationToken), cancellationToken);

    /// <summary>The role of one member, in one query.</summary>
    public Task<string> RoleOfAsync(Enterprise enterprise, string memberId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection =>
        {
            var rank = await connection.Command(
                    $"SELECT COALESCE(MAX({EnterpriseRole.RankSql("gr")}), {EnterpriseRole.Rank(EnterpriseRole.Default)}) FROM group_members gm " +
                    "JOIN group_roles gr ON gr.group_id = gm.group_id AND gr.enterprise_id = gm.enterprise_id " +
                    "JOIN groups g ON g.id = gm.group_id AND g.deleted_at IS NULL " +
                    "WHERE gm.enterprise_id = @e AND gm.member_id = @m")
                .With("@e", enterprise.Id).With("@m", memberId).ScalarLongAsync(cancellationToken);
            return EnterpriseRole.OfRank(rank);
        }, cancellationToken);

    /// <summary>A page of the enterprise's live members with their roles (one query), in creation
    /// order, only those of <paramref name="role"/> when given; then their groups.</summary>
    public async Task<List<MemberWithRole>> ListMembersAsync(Enterprise enterprise, string? role, int limit, CancellationToken cancellationToken = default)
    {
        var rows = await database.ReadAsync(connection =>
        {
            var command = connection.Command(
                    $"SELECT m.id, m.user_name, m.display_name, m.active, COALESCE(r.role_rank, {EnterpriseRole.Rank(EnterpriseRole.Default)}) " +
                    $"FROM members m LEFT JOIN ({RanksSql}) r ON r.member_id = m.id " +
                    "WHERE m.enterprise_id = @e AND m.deleted_at IS NULL" +
                    (role is null ? "" : $" AND COALESCE(r.role_rank, {EnterpriseRole.Rank(EnterpriseRole.Default)}) = @rank") +
                    " ORDER BY m.created_at, m.id LIMIT @limit")
                .With("@e", enterprise.Id).With("@limit", limit);
            if (role is not null) command.With("@rank", EnterpriseRole.Rank(role));
            return command.ListAsync(ReadRow, cancellationToken);
        }, cancellationToken);
        return await WithGroupsAsync(enterprise, rows, cancellationToken);
    }

    /// <summary>One live member, by id or userName (without regard to case), with its role.</summary>
    public async Task<MemberWithRole> GetMemberAsync(Enterprise enterprise, string idOrUserName, CancellationToken cancellationToken = default)
    {
        var rows = await database.ReadAsync(connection => connection.Command(
                    $"SELECT m.id, m.user_name, m.display_name, m.active, COALESCE(r.role_rank, {EnterpriseRole.Rank(EnterpriseRole.Default)}) " +
                    $"FROM members m LEFT JOIN ({RanksSql}) r ON r.member_id = m.id " +
                    "WHERE m.enterprise_id = @e AND m.deleted_at IS NULL AND (m.id = @id OR m.user_name_key = @key) " +
                    "ORDER BY CASE WHEN m.id = @id THEN 0 ELSE 1 END LIMIT 1")
                .With("@e", enterprise.Id).With("@id", idOrUserName).With("@key", Members.MemberColumns.Key(idOrUserName))
                .ListAsync(ReadRow, cancellationToken), cancellationToken);
        if (rows.Count == 0) throw new RosterException($"No member '{idOrUserName}' in enterprise '{enterprise.Slug}' (give its id or userName).");
        return (await WithGroupsAsync(enterprise, rows, cancellationToken))[0];
    }

    async Task<List<MemberWithRole>> WithGroupsAsync(Enterprise enterprise, List<MemberWithRole> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return rows;
        var groupsOf = await groups.GroupsOfAsync(enterprise, rows.Select(r => r.Id).ToList(), cancellationToken);
        return rows.Select(r => r with { Groups = groupsOf.TryGetValue(r.Id, out var list) ? list : [] }).ToList();
    }

    static MemberWithRole ReadRow(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.StringOrNull(2), r.GetBoolean(3), EnterpriseRole.OfRank(r.GetInt64(4)), []);

    /// <summary>A live group of the enterprise by id, else by displayName without regard to case.</summary>
    static async Task<(string Id, string DisplayName)> FindGroupAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise,
        string idOrName, CancellationToken cancellationToken)
    {
        var found = await connection.Command(
                "SELECT id, display_name FROM groups WHERE enterprise_id = @e AND deleted_at IS NULL AND (id = @id OR display_name_key = @key) " +
                "ORDER BY CASE WHEN id = @id THEN 0 ELSE 1 END LIMIT 1", transaction)
            .With("@e", enterprise.Id).With("@id", idOrName).With("@key", GroupDirectory.Key(idOrName))
            .ListAsync(r => (r.GetString(0), r.GetString(1)), cancellationToken);
        return found.Count > 0 ? found[0] : throw new RosterException($"No group '{idOrName}' in enterprise '{enterprise.Slug}' (give its id or displayName).");
    }
}
