using System.Data.Common;
using Roster.Directory.Storage;

namespace Roster.Directory.SignOn;

/// <summary>
/// Deletes an enterprise's expired rows of a short-lived table (pending requests, the replay cache) as
/// a side task of writing to it, a batch at a time: the tables stay the size of what is live without a
/// background job.
/// </summary>
internal static class ExpiredRows
{
    const int Batch = 100;

    /// <param name="table">A table with enterprise_id and expires_at columns; <paramref name="key"/> is
    /// the column that identifies a row within the enterprise. Both are Roster's own names, never input.</param>
    public static Task<int> DeleteAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string table, string key,
        string enterpriseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.Command(
                $"DELETE FROM {table} WHERE enterprise_id = @e AND expires_at <= @now AND {key} IN " +
                $"(SELECT {key} FROM {table} WHERE enterprise_id = @e AND expires_at <= @now LIMIT {Batch}{dialect.ForUpdateSkipLocked})", transaction)
            .With("@e", enterpriseId).With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
}
