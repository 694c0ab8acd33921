using System.Data.Common;

namespace Roster.Directory.Storage;

/// <summary>
/// A listing of one enterprise's live rows of a table (members, groups): the rows that satisfy a
/// condition, counted by the database and read a page at a time, by index (startIndex) or by cursor.
/// One mechanism for every resource type.
/// </summary>
public sealed class EnterpriseListing<T>(string table, string columns, Func<DbDataReader, T> read, Func<T, (DateTimeOffset Created, string Id)> key)
{
    static string Where(SqlCondition? condition) =>
        $"enterprise_id = {SqlCondition.EnterpriseParameter} AND deleted_at IS NULL" + (condition is null ? "" : $" AND ({condition.Sql})");

    static DbCommand Command(DbConnection connection, string sql, string enterpriseId, SqlCondition? condition)
    {
        var command = (condition is { OnePlan: true } ? connection.PreparedCommand(sql) : connection.Command(sql))
            .With(SqlCondition.EnterpriseParameter, enterpriseId);
        if (condition is not null)
        {
            foreach (var (name, value) in condition.Parameters) command.With(name, value);
        }
        return command;
    }

    /// <summary>A page by index, in <paramref name="orderBy"/>'s order then creation order (stable),
    /// and how many rows satisfy the condition in all.</summary>
    public Task<(long Total, List<T> Page)> ReadPageAsync(RosterDatabase database, string enterpriseId, SqlCondition? condition,
        int startIndex, int count, string? orderBy, CancellationToken cancellationToken)
    {
        var where = Where(condition);
        return database.ReadAsync(async connection =>
        {
            var page = new List<T>();
            if (count > 0)
            {
                var order = orderBy is null ? "created_at, id" : $"{orderBy}, created_at, id";
                // The rows skipped by OFFSET are found by id alone (a walk of the narrow listing index),
                // and only the page's rows are read whole: skipping 99,900 wide rows had PostgreSQL sort
                // the enterprise's resources on disk (1.8 s a page at the end of 100,000, bench/README.md).
                page = await Command(connection,
                        $"SELECT {columns} FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {where} ORDER BY {order} LIMIT @limit OFFSET @offset) " +
                        $"ORDER BY {order}", enterpriseId, condition)
                    .With("@limit", count).With("@offset", (long)startIndex - 1).ListAsync(read, cancellationToken);
            }
            // A page that is not full is the last one, and when it holds a row (or starts at the first)
            // every row before it exists: the total is known without counting. That is the usual answer
            // to an IdP's lookup (`userName eq`, one row or none) and every small directory's list.
            if (page.Count < count && (page.Count > 0 || startIndex == 1)) return ((long)startIndex - 1 + page.Count, page);
            var total = await Command(connection, $"SELECT count(*) FROM {table} WHERE {where}", enterpriseId, condition).ScalarLongAsync(cancellationToken);
            return (total, page);
        }, cancellationToken);
    }

    /// <summary>A page by cursor (RFC 9865), by <paramref name="sort"/> or in the default order.</summary>
    public Task<CursorPage<T>> ReadCursorPageAsync(RosterDatabase database, string enterpriseId, SqlCondition? condition, string query,
        int count, string? cursor, ListSort? sort, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => KeysetPaging.ReadAsync(
            sql => Command(connection, sql, enterpriseId, condition), table, columns, Where(condition), count, cursor, query, read, key,
            cancellationToken, sort), cancellationToken);
}
