using System.Data.Common;
using Roster.Scim.Text;

namespace Roster.Directory.Storage;

/// <summary>
/// Migration 0020's code step: recomputes every stored comparison key with <see cref="ScimText.Fold"/>.
/// Rows whose key does not change (all ASCII and already-composed text) are not written.
/// </summary>
/// <remarks>Two live members (or groups) of one enterprise that were different before and are the
/// same now (one "josé" composed, one decomposed) cannot both hold the new key under the unique index.
/// The one that already holds it keeps it, else the one created first takes it; the other keeps its old key, so it stays as it was (found, listed,
/// writable) and an admin sees both, rather than the migration failing or one being lost.</remarks>
internal static class KeyRefolding
{
    public static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await RefoldAsync(connection, transaction, "members", "user_name", "user_name_key", unique: true, cancellationToken);
        await RefoldAsync(connection, transaction, "members", "display_name", "display_name_key", unique: false, cancellationToken);
        await RefoldAsync(connection, transaction, "members", "email", "email_key", unique: false, cancellationToken);
        await RefoldAsync(connection, transaction, "groups", "display_name", "display_name_key", unique: true, cancellationToken);
    }

    sealed record Row(string Id, string EnterpriseId, string? Value, string? Key, bool Live);

    static async Task RefoldAsync(DbConnection connection, DbTransaction transaction, string table, string column, string keyColumn, bool unique,
        CancellationToken cancellationToken)
    {
        var rows = await connection.Command(
                $"SELECT id, enterprise_id, {column}, {keyColumn}, CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END FROM {table} ORDER BY created_at, id",
                transaction)
            .ListAsync(r => new Row(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                Convert.ToInt64(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture) == 1), cancellationToken);

        // The keys live rows hold, as the re-keying goes: the unique index's view of each enterprise.
        var held = rows.Where(r => r.Live && r.Key is not null).Select(r => (r.EnterpriseId, r.Key!)).ToHashSet();
        foreach (var row in rows)
        {
            if (row.Value is null) continue;
            var folded = ScimText.IsAcceptable(row.Value) ? ScimText.Fold(row.Value) : row.Key;
            if (folded is null || folded == row.Key) continue;
            if (unique && row.Live)
            {
                if (held.Contains((row.EnterpriseId, folded))) continue;
                held.Remove((row.EnterpriseId, row.Key!));
                held.Add((row.EnterpriseId, folded));
            }
            await connection.Command($"UPDATE {table} SET {keyColumn} = @key WHERE id = @id", transaction)
                .With("@key", folded).With("@id", row.Id).ExecuteAsync(cancellationToken);
        }
    }
}
