using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Roster.Directory.Enterprises;
using Roster.Directory.Roles;
using Roster.Directory.Storage;
using Roster.Scim.Errors;

namespace Roster.Directory.Members;

/// <summary>What the console's member list is narrowed to; every part optional.</summary>
/// <param name="Search">Matched as a prefix of the userName, the primary email or the displayName, without regard to case.</param>
/// <param name="Active">True: active members only; false: deactivated only.</param>
/// <param name="Role">One of <see cref="EnterpriseRole.All"/>: members whose computed role it is.</param>
/// <param name="GroupId">Members of this group.</param>
/// <param name="Source">How members came to be: <see cref="MemberDirectory.SourceScim"/>, <see cref="MemberDirectory.SourceSamlJit"/>, or another stored source.</param>
/// <param name="Deprovisioned">List the members SCIM no longer sees instead of the live ones: removed or
/// suspended by the deprovisioning policy, or deleted for good, their history kept.</param>
public sealed record MemberListingQuery(
    string? Search = null, bool? Active = null, string? Role = null, string? GroupId = null, string? Source = null, bool Deprovisioned = false);

/// <summary>A member as the list shows it: the columns, the role computed as everywhere else; for a
/// member SCIM no longer sees, when and how they went (<see cref="DeprovisionedMember"/>'s terms).</summary>
public sealed record MemberListingRow(
    string Id, string UserName, string? DisplayName, string? Email, bool Active, string Role, string Source,
    DateTimeOffset LastModified, DateTimeOffset? DeactivatedAt,
    DateTimeOffset? GoneAt = null, string? GoneHow = null, DateTimeOffset? RestorableUntil = null);

/// <summary>A page of the list, the cursor of the next (null at the end), and how many members match,
/// counted up to <see cref="MemberListing.CountLimit"/> (<c>MatchesCapped</c> when there are more).</summary>
public sealed record MemberListingPage(IReadOnlyList<MemberListingRow> Members, string? NextCursor, long Matches, bool MatchesCapped);

/// <summary>
/// The console's list of an enterprise's live members (or, asked, of those SCIM no longer sees), searched and filtered, read a page at a time
/// in userName order by keyset: the page after a cursor is one range read from the cursor's
/// (user_name_key, id) on members_user_name, so the last page of 100,000 costs what the first does.
/// No OFFSET, and no exact count: counting 100,000 matches on every page would be most of its cost,
/// so matches are counted only up to <see cref="CountLimit"/>.
/// </summary>
public sealed class MemberListing(RosterDatabase database)
{
    public const int PageSize = 50;
    public const int CountLimit = 1000;
    public const int MaxSearchLength = 256;

    /// <summary>The most ids a plan starts from and sorts: more, and walking the userName order is cheaper.</summary>
    const int CandidateLimit = 5000;

    /// <summary>Above every character: a key that starts with the search text sorts below the text
    /// followed by it, in a bytewise (UTF-8 or code point) order.</summary>
    const string AboveEveryCharacter = "\U0010FFFF";

    /// <summary>A page of <paramref name="query"/>'s matches, after <paramref name="cursor"/> (from a
    /// previous page of the same query) or from the start.</summary>
    /// <exception cref="RosterException">The cursor is not one of this query's, or a filter is not valid.</exception>
    public Task<MemberListingPage> ReadAsync(Enterprise enterprise, MemberListingQuery query, string? cursor, int count = PageSize,
        CancellationToken cancellationToken = default)
    {
        if (query.Role is not null && !EnterpriseRole.IsRole(query.Role))
            throw new RosterException($"Unknown role '{query.Role}': one of {string.Join(", ", EnterpriseRole.All)}.");
        var search = query.Search?.Trim();
        if (search is { Length: > MaxSearchLength }) throw new RosterException($"Search for at most {MaxSearchLength} characters.");
        // PostgreSQL text cannot hold NUL, and no name holds a control character: refused here, not by the database.
        if (search is not null && search.Any(char.IsControl)) throw new RosterException("Search for the start of a name, userName or email, without control characters.");
        var fingerprint = Fingerprint(query);
        PageCursor? position = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                position = PageCursor.Decode(cursor, fingerprint);
            }
            catch (ScimException)
            {
                throw new RosterException("This page link is out of date or was changed: start again from the first page.");
            }
            if (position.SortValue is not { ValueKind: JsonValueKind.String } || HasNul(position.Id) || HasNul(position.SortValue.Value.GetString()!))
                throw new RosterException("This page link is out of date or was changed: start again from the first page.");
        }

        // Every condition, tested on each row read; and candidate sets (the ids of a group, of a search's
        // index ranges) that a plan may start from when they are small.
        // Live members, or those SCIM no longer sees: each set has its own userName-ordered index.
        var present = query.Deprovisioned ? "deleted_at IS NOT NULL" : "deleted_at IS NULL";
        var orderIndex = query.Deprovisioned ? "members_deprovisioned_user_name" : "members_user_name";
        var tested = new StringBuilder($"m.enterprise_id = @e AND m.{present}");
        var candidateSets = new List<string>();
        var parameters = new List<(string Name, object? Value)> { ("@e", enterprise.Id) };
        if (!string.IsNullOrEmpty(search))
        {
            string[] keys = ["user_name_key", "email_key", "display_name_key"];
            tested.Append(" AND (").Append(string.Join(" OR ", keys.Select(k => Prefix("m." + k)))).Append(')');
            candidateSets.Add(string.Join(" UNION ALL ", keys.Select(k =>
                $"SELECT s.id FROM members s WHERE s.enterprise_id = @e AND s.{present} AND {Prefix("s." + k)}")));
            var key = MemberColumns.Key(search);
            if (database.Dialect is PostgresDialect) parameters.Add(("@pattern", LikeEscaped(key) + "%"));
            else parameters.AddRange([("@lo", key), ("@hi", key + AboveEveryCharacter)]);
        }
        if (query.Active is { } active)
        {
            tested.Append(" AND m.active = @active");
            parameters.Add(("@active", active));
        }
        if (query.Source is not null)
        {
            tested.Append(" AND m.source = @source");
            parameters.Add(("@source", query.Source));
        }
        if (query.GroupId is not null && HasNul(query.GroupId)) throw new RosterException("That group is not one of this organisation's.");
        if (query.Source is not null && HasNul(query.Source)) throw new RosterException("No member has that source.");
        if (query.GroupId is not null)
        {
            tested.Append(" AND EXISTS (SELECT 1 FROM group_members fg WHERE fg.group_id = @group AND fg.member_id = m.id AND fg.enterprise_id = @e)");
            candidateSets.Add("SELECT cg.member_id FROM group_members cg WHERE cg.group_id = @group AND cg.enterprise_id = @e");
            parameters.Add(("@group", query.GroupId));
        }
        if (query.Role is not null)
        {
            tested.Append($" AND {RoleRank} = @rank");
            parameters.Add(("@rank", (long)EnterpriseRole.Rank(query.Role)));
            if (query.Role != EnterpriseRole.Default)
            {
                // Only members of a group mapped to the role can have it; the default role is also everyone unmapped.
                candidateSets.Add("SELECT rm.member_id FROM group_members rm JOIN group_roles rr ON rr.group_id = rm.group_id " +
                                  "AND rr.enterprise_id = rm.enterprise_id WHERE rm.enterprise_id = @e AND rr.role = @role");
                parameters.Add(("@role", query.Role));
            }
        }

        var keyset = "";
        if (position is not null)
        {
            // The first conjunct is a range on the index; the second orders ties of a reused userName by id.
            keyset = " AND m.user_name_key >= @after_key AND (m.user_name_key > @after_key OR m.id > @after_id)";
        }

        return database.ReadAsync(async connection =>
        {
            DbCommand Command(string sql)
            {
                var command = connection.Command(sql);
                foreach (var (name, value) in parameters) command.With(name, value);
                return command;
            }

            // A candidate set of at most CandidateLimit ids is read from its index and the matches among
            // it sorted; that is cheap. Without one, count the matches by testing rows (stopping at the
            // count limit); many matches are dense enough that walking members_user_name in order from
            // the cursor, testing each row, fills a page soon. SQLite is told to walk: it would
            // otherwise read a filter's index and sort every match (all 100,000 for "active").
            var small = new List<string>();
            foreach (var set in candidateSets)
            {
                var size = await Command($"SELECT count(*) FROM ({set} LIMIT {CandidateLimit + 1}) probe").ScalarLongAsync(cancellationToken);
                if (size <= CandidateLimit) small.Add(set);
            }
            var narrowed = tested + string.Concat(small.Select(set => $" AND m.id IN ({set})"));
            var matches = await Command($"SELECT count(*) FROM (SELECT 1 FROM members m WHERE {narrowed} LIMIT {CountLimit + 1}) capped")
                .ScalarLongAsync(cancellationToken);
            var plan = small.Count > 0 || matches <= CountLimit
                ? $"members m WHERE {narrowed}"
                : $"members m{(database.Dialect is SqliteDialect ? $" INDEXED BY {orderIndex}" : "")} WHERE {tested}";
            var page = Command($"SELECT {Columns}, m.user_name_key FROM {plan}{keyset} ORDER BY m.user_name_key, m.id LIMIT @limit")
                .With("@limit", count + 1);
            if (position is not null) page.With("@after_key", position.SortValue!.Value.GetString()).With("@after_id", position.Id);
            var rows = await page.ListAsync(r => (Row: Read(r), Key: r.GetString(12)), cancellationToken);
            string? next = null;
            if (rows.Count > count)
            {
                rows.RemoveAt(rows.Count - 1);
                var last = rows[^1];
                next = new PageCursor(0, last.Row.Id, false, fingerprint, JsonSerializer.SerializeToElement(last.Key)).Encode();
            }
            return new MemberListingPage(rows.Select(r => r.Row).ToList(), next, Math.Min(matches, CountLimit), matches > CountLimit);
        }, cancellationToken);
    }

    /// <summary>One live member of the enterprise as the list shows it; null for an id of no live
    /// member of this enterprise (another enterprise's member included).</summary>
    public Task<MemberListingRow?> FindAsync(Enterprise enterprise, string id, CancellationToken cancellationToken = default) =>
        HasNul(id) ? Task.FromResult<MemberListingRow?>(null) : database.ReadAsync(connection => connection.Command($"SELECT {Columns} FROM members m WHERE m.enterprise_id = @e AND m.id = @id AND m.deleted_at IS NULL")
            .With("@e", enterprise.Id).With("@id", id).SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);

    /// <summary>No stored id or key holds NUL, and PostgreSQL refuses text that does: such a value matches nothing.</summary>
    internal static bool HasNul(string value) => value.Contains('\0', StringComparison.Ordinal);

    static string Columns =>
        $"m.id, m.user_name, m.display_name, m.email, m.active, m.source, m.last_modified, m.deactivated_at, {RoleRank}, " +
        "m.deleted_at, m.deprovisioned_as, m.restorable_until";

    static MemberListingRow Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.StringOrNull(2), r.StringOrNull(3), r.GetBoolean(4),
        EnterpriseRole.OfRank(r.GetInt64(8)), r.GetString(5), r.Time(6), r.TimeOrNull(7),
        r.TimeOrNull(9), r.StringOrNull(10), r.TimeOrNull(11));

    /// <summary>
    /// A prefix test on a lower-cased key column that an index can answer. SQLite compares text
    /// bytewise (BINARY), so a prefix is the range [text, text + U+10FFFF) on the column's index.
    /// PostgreSQL orders text by the database's collation, in which such a range can miss matches
    /// ('a-b' sorts as 'ab' in most locales), so there it is LIKE 'text%' (escaped): exact under any
    /// collation, and answered from the index when the database's collation is C, as Roster's
    /// clusters are made.
    /// </summary>
    string Prefix(string column) =>
        database.Dialect is PostgresDialect ? $"{column} LIKE @pattern" : $"({column} >= @lo AND {column} < @hi)";

    /// <summary>LIKE's wildcards and its escape (PostgreSQL's default, backslash) matched as themselves.</summary>
    static string LikeEscaped(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>The member's role rank, computed as <see cref="RoleMappings"/> computes it: the highest
    /// role of the live mapped groups the member is in, else the default. Correlated, so it costs a
    /// lookup by group_members_member for each row read, not an aggregate over the enterprise.</summary>
    static readonly string RoleRank =
        $"COALESCE((SELECT MAX({EnterpriseRole.RankSql("gr")}) FROM group_members gm " +
        "JOIN group_roles gr ON gr.group_id = gm.group_id AND gr.enterprise_id = gm.enterprise_id " +
        "JOIN groups g ON g.id = gm.group_id AND g.deleted_at IS NULL " +
        $"WHERE gm.member_id = m.id AND gm.enterprise_id = @e), {EnterpriseRole.Rank(EnterpriseRole.Default)})";

    /// <summary>A cursor names the query it was given for: a position in one result is no position in another.</summary>
    static string Fingerprint(MemberListingQuery query) =>
        PageCursor.Fingerprint("ConsoleMember", string.Join('\u0000',
            query.Search?.Trim().ToLowerInvariant(), query.Active?.ToString(CultureInfo.InvariantCulture), query.Role, query.GroupId, query.Source,
            query.Deprovisioned ? "deprovisioned" : "live"));
}
