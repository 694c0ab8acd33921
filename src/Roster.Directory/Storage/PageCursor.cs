using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Roster.Scim.Errors;

namespace Roster.Directory.Storage;

/// <summary>
/// A position in a listing of members or groups, for cursor paging (RFC 9865): the sort key of the
/// row it points from (when the listing is sorted), then its creation time and id. A cursor is the key of the row next to the page it points from, so reading the page after
/// it is one index seek, at the end of 100,000 members as at the start; nothing is kept on the
/// server, so a cursor does not expire. It names the query it belongs to, and is refused with any
/// other: a cursor is a position in one result, not in another.
/// </summary>
public sealed record PageCursor(long CreatedAt, string Id, bool Backward, string Query, JsonElement? SortValue = null)
{
    public const string InvalidCursor = "invalidCursor";

    sealed record Wire(long c, string i, bool b, string q, JsonElement? k = null);

    public string Encode() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(CreatedAt, Id, Backward, Query, SortValue)));

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
        return new PageCursor(wire.c, wire.i, wire.b, wire.q, wire.k);
    }

    /// <summary>A short fingerprint of a query (its resource type, filter and order), to tie cursors to it.</summary>
    public static string Fingerprint(string resourceType, string? filter, ListSort? sort = null) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{resourceType}\u0000{filter}\u0000{sort?.OrderBy}")))[..16];
}

/// <summary>A sort key: an expression of the table (from a filter translator) and its direction.
/// Rows without a value come last in both directions; ties keep the default order.</summary>
public sealed record ListSort(string Expression, bool Descending)
{
    public string OrderBy => $"{Expression} {(Descending ? "DESC" : "ASC")} NULLS LAST";

    /// <summary>The same order read backwards, for the page before a cursor.</summary>
    public string ReverseOrderBy => $"{Expression} {(Descending ? "ASC" : "DESC")} NULLS FIRST";
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
        CancellationToken cancellationToken, ListSort? sort = null)
    {
        var position = string.IsNullOrEmpty(cursor) ? null : PageCursor.Decode(cursor, query);
        Task<long> CountAsync() => prepare($"SELECT count(*) FROM {table} WHERE {where}").ScalarLongAsync(cancellationToken);
        if (count == 0) return new CursorPage<T>(await CountAsync(), [], null, null);

        // One row more than asked tells whether another page follows in the reading direction.
        var backward = position?.Backward == true;
        var keyset = position is null ? "" : " AND " + After(sort, position, backward);
        var order = sort is null
            ? backward ? "created_at DESC, id DESC" : "created_at, id"
            : backward ? $"{sort.ReverseOrderBy}, created_at DESC, id DESC" : $"{sort.OrderBy}, created_at, id";
        // The sort key rides along as a last column, so that a cursor can carry the boundary row's value.
        var select = sort is null ? columns : $"{columns}, {sort.Expression}";
        var command = prepare($"SELECT {select} FROM {table} WHERE {where}{keyset} ORDER BY {order} LIMIT @limit").With("@limit", count + 1);
        if (position is not null)
        {
            command.With("@kc", position.CreatedAt).With("@ki", position.Id);
            if (sort is not null && SortParameter(position.SortValue) is { } value) command.With("@ks", value);
        }
        var rows = await command.ListAsync(r => (Row: read(r), Sort: sort is null ? null : SortValue(r.GetValue(r.FieldCount - 1))), cancellationToken);
        var more = rows.Count > count;
        if (more) rows.RemoveAt(rows.Count - 1);
        // A first page with nothing after it holds every row: counted already.
        var total = position is null && !more ? rows.Count : await CountAsync();
        if (backward) rows.Reverse();
        if (rows.Count == 0) return new CursorPage<T>(total, [], null, null);

        string Cursor((T Row, JsonElement? Sort) row, bool towardsStart)
        {
            var (created, id) = key(row.Row);
            return new PageCursor(created.ToDb(), id, towardsStart, query, row.Sort).Encode();
        }
        var hasNext = backward ? position is not null : more;
        var hasPrevious = backward ? more : position is not null;
        return new CursorPage<T>(total, rows.Select(r => r.Row).ToList(),
            hasNext ? Cursor(rows[^1], false) : null, hasPrevious ? Cursor(rows[0], true) : null);
    }

    /// <summary>
    /// The rows after (or, reading backwards, before) the cursor's row in the order "sort key (absent
    /// last), created_at, id". Without a sort key that is a row comparison the index serves directly.
    /// </summary>
    static string After(ListSort? sort, PageCursor position, bool backward)
    {
        const string tie = "(created_at, id)";
        if (sort is null) return backward ? $"{tie} < (@kc, @ki)" : $"{tie} > (@kc, @ki)";
        var key = sort.Expression;
        var hasValue = SortParameter(position.SortValue) is not null;
        var beyond = sort.Descending != backward ? "<" : ">";
        if (!backward)
        {
            return hasValue
                ? $"(({key} {beyond} @ks) OR ({key} = @ks AND {tie} > (@kc, @ki)) OR {key} IS NULL)"
                : $"({key} IS NULL AND {tie} > (@kc, @ki))";
        }
        return hasValue
            ? $"(({key} IS NOT NULL AND {key} {beyond} @ks) OR ({key} = @ks AND {tie} < (@kc, @ki)))"
            : $"({key} IS NOT NULL OR ({key} IS NULL AND {tie} < (@kc, @ki)))";
    }

    static JsonElement? SortValue(object value) => value is DBNull ? null : JsonSerializer.SerializeToElement(value);

    static object? SortParameter(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.String => value.Value.GetString(),
        JsonValueKind.Number => value.Value.TryGetInt64(out var integer) ? integer : value.Value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
