using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Roster.Scim.Errors;

namespace Roster.Directory.Storage;

/// <summary>
/// A position in the default order of a listing of members or groups (creation time, then id), for
/// cursor paging (RFC 9865). A cursor is the key of the row next to the page it points from, so reading the page after
/// it is one index seek, at the end of 100,000 members as at the start; nothing is kept on the
/// server, so a cursor does not expire. It names the query it belongs to, and is refused with any
/// other: a cursor is a position in one result, not in another.
/// </summary>
public sealed record PageCursor(long CreatedAt, string Id, bool Backward, string Query)
{
    public const string InvalidCursor = "invalidCursor";

    sealed record Wire(long c, string i, bool b, string q);

    public string Encode() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(CreatedAt, Id, Backward, Query)));

    public static PageCursor Decode(string text, string query)
    {
        Wire? wire = null;
        try
        {
            if (text.Length <= 1000) wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(text));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }
        if (wire is null || string.IsNullOrEmpty(wire.i))
            throw ScimException.BadRequest(InvalidCursor, "The cursor is not one this server gave out.");
        if (wire.q != query)
            throw ScimException.BadRequest(InvalidCursor, "The cursor belongs to another query: page with the filter and sort it was given for.");
        return new PageCursor(wire.c, wire.i, wire.b, wire.q);
    }

    /// <summary>A short fingerprint of a query (its resource type and filter), to tie cursors to it.</summary>
    public static string Fingerprint(string resourceType, string? filter) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{resourceType}\u0000{filter}")))[..16];
}

/// <summary>A page read by cursor, with the cursors of the pages on either side (null at an end).</summary>
public sealed record CursorPage<T>(long Total, List<T> Page, string? NextCursor, string? PreviousCursor);

/// <summary>
/// Keyset paging over a table ordered by (created_at, id): a page is one index range scan from the
/// cursor's key, at the end of 100,000 rows as at the start.
/// </summary>
public static class KeysetPaging
{
    /// <param name="prepare">Makes a command of the SQL, with the enterprise and the condition bound.</param>
    /// <param name="where">The listing's WHERE, which the keyset condition extends.</param>
    public static async Task<CursorPage<T>> ReadAsync<T>(Func<string, DbCommand> prepare, string table, string columns, string where,
        int count, string? cursor, string query, Func<DbDataReader, T> read, Func<T, (DateTimeOffset Created, string Id)> key,
        CancellationToken cancellationToken)
    {
        var position = string.IsNullOrEmpty(cursor) ? null : PageCursor.Decode(cursor, query);
        var total = await prepare($"SELECT count(*) FROM {table} WHERE {where}").ScalarLongAsync(cancellationToken);
        if (count == 0) return new CursorPage<T>(total, [], null, null);

        // One row more than asked tells whether another page follows in the reading direction.
        var backward = position?.Backward == true;
        var keyset = position is null ? "" : backward ? " AND (created_at, id) < (@kc, @ki)" : " AND (created_at, id) > (@kc, @ki)";
        var order = backward ? "created_at DESC, id DESC" : "created_at, id";
        var command = prepare($"SELECT {columns} FROM {table} WHERE {where}{keyset} ORDER BY {order} LIMIT @limit").With("@limit", count + 1);
        if (position is not null) command.With("@kc", position.CreatedAt).With("@ki", position.Id);
        var rows = await command.ListAsync(read, cancellationToken);
        var more = rows.Count > count;
        if (more) rows.RemoveAt(rows.Count - 1);
        if (backward) rows.Reverse();
        if (rows.Count == 0) return new CursorPage<T>(total, rows, null, null);

        string Cursor(T row, bool towardsStart)
        {
            var (created, id) = key(row);
            return new PageCursor(created.ToDb(), id, towardsStart, query).Encode();
        }
        var hasNext = backward ? position is not null : more;
        var hasPrevious = backward ? more : position is not null;
        return new CursorPage<T>(total, rows, hasNext ? Cursor(rows[^1], false) : null, hasPrevious ? Cursor(rows[0], true) : null);
    }
}
