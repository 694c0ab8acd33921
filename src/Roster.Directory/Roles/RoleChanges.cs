using System.Data.Common;
using System.Globalization;
using Roster.Directory.Events;
using Roster.Directory.Storage;

namespace Roster.Directory.Roles;

/// <summary>
/// The role.changed events of a change to one group: members joining or leaving it, or its mapping
/// changing. A member's role is the highest of their mapped groups' roles, else the default; so for
/// each member touched, the rank of their OTHER mapped groups is read once, after the change, and the
/// role with and without this group's rank compared. Nothing is read for a group that is not mapped.
/// </summary>
internal static class RoleChanges
{
    const int Chunk = 500;

    /// <summary>The rank the group is mapped to, or null when it is not mapped.</summary>
    public static async Task<long?> MappedRankAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, string groupId,
        CancellationToken cancellationToken)
    {
        var ranks = await connection.Command($"SELECT {EnterpriseRole.RankSql("gr")} FROM group_roles gr WHERE gr.enterprise_id = @e AND gr.group_id = @g", transaction)
            .With("@e", enterpriseId).With("@g", groupId).ListAsync(r => r.GetInt64(0), cancellationToken);
        return ranks is [var rank] ? rank : null;
    }

    /// <summary>Members who <paramref name="joined"/> or <paramref name="left"/> a group mapped to
    /// <paramref name="groupRank"/>: one event for each whose role this moved.</summary>
    public static async Task MembershipChangedAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, string groupId,
        string groupDisplayName, long groupRank, IReadOnlyList<string> joined, IReadOnlyList<string> left, EventBatch events,
        CancellationToken cancellationToken)
    {
        if (joined.Count + left.Count == 0) return;
        var others = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var chunk in joined.Concat(left).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            var command = connection.Command(
                    $"SELECT m.id, {OtherRanks("m.id")} FROM members m WHERE m.enterprise_id = @e AND m.id IN ({SqlCommands.ParameterList("@m", chunk.Length)})",
                    transaction)
                .WithList("@m", chunk).With("@e", enterpriseId).With("@g", groupId);
            foreach (var (id, rank) in await command.ListAsync(r => (r.GetString(0), r.LongOrNull(1)), cancellationToken)) others[id] = rank;
        }
        foreach (var id in joined) Compare(id, others.GetValueOrDefault(id), before: null, after: groupRank);
        foreach (var id in left) Compare(id, others.GetValueOrDefault(id), before: groupRank, after: null);

        void Compare(string memberId, long? other, long? before, long? after) =>
            AddIfChanged(events, memberId, other, before, after, groupId, groupDisplayName);
    }

    /// <summary>A group's mapping went from <paramref name="before"/> to <paramref name="after"/> (null:
    /// unmapped): one event for each of its members whose role this moved.</summary>
    public static async Task MappingChangedAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, string groupId,
        string groupDisplayName, long? before, long? after, EventBatch events, CancellationToken cancellationToken)
    {
        if (before == after) return;
        var members = await connection.Command(
                $"SELECT gm.member_id, {OtherRanks("gm.member_id")} FROM group_members gm WHERE gm.group_id = @g AND gm.enterprise_id = @e ORDER BY gm.member_id",
                transaction)
            .With("@e", enterpriseId).With("@g", groupId).ListAsync(r => (r.GetString(0), r.LongOrNull(1)), cancellationToken);
        foreach (var (memberId, other) in members) AddIfChanged(events, memberId, other, before, after, groupId, groupDisplayName);
    }

    static void AddIfChanged(EventBatch events, string memberId, long? other, long? before, long? after, string groupId, string groupDisplayName)
    {
        var from = RoleOf(other, before);
        var to = RoleOf(other, after);
        if (from != to) events.Member(EventTypes.RoleChanged, memberId, EventData.RoleChange(memberId, from, to, groupId, groupDisplayName));
    }

    static string RoleOf(long? other, long? group) =>
        EnterpriseRole.OfRank(Math.Max(other ?? 0, group ?? 0) is var rank && rank > 0 ? rank : EnterpriseRole.Rank(EnterpriseRole.Default));

    /// <summary>The highest rank of the member's live mapped groups other than @g, or NULL.</summary>
    static string OtherRanks(string memberColumn) =>
        $"(SELECT MAX({EnterpriseRole.RankSql("gr")}) FROM group_members om " +
        "JOIN group_roles gr ON gr.group_id = om.group_id AND gr.enterprise_id = om.enterprise_id " +
        "JOIN groups og ON og.id = om.group_id AND og.deleted_at IS NULL " +
        $"WHERE om.enterprise_id = @e AND om.member_id = {memberColumn} AND om.group_id <> @g)";
}
