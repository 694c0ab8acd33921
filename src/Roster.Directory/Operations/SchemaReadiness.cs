using System.Data.Common;
using Roster.Directory.Storage;

namespace Roster.Directory.Operations;

/// <summary>Whether the database has every migration this Roster knows: a server whose schema is
/// behind (another instance of an older version migrated it, or a restore) is not ready to serve.</summary>
public sealed class SchemaReadiness(RosterDatabase database)
{
    /// <summary>The versions Roster knows and the database lacks, in order; empty when it is up to date.</summary>
    /// <exception cref="RosterException">The database cannot be opened.</exception>
    public async Task<IReadOnlyList<int>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        var known = Migrator.For(database.Dialect).Select(m => m.Version).ToList();
        var applied = await database.ReadAsync(async connection =>
        {
            try
            {
                return await connection.Command("SELECT version FROM schema_migrations").ListAsync(r => r.GetInt64(0), cancellationToken);
            }
            catch (DbException)
            {
                // No schema_migrations table: a database Roster never migrated, where everything is pending.
                return [];
            }
        }, cancellationToken);
        var have = applied.ToHashSet();
        return known.Where(v => !have.Contains(v)).ToList();
    }
}
