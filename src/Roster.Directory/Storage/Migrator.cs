using System.Globalization;

namespace Roster.Directory.Storage;

/// <summary>
/// Versioned schema migrations: numbered SQL files (Migrations/NNNN_name.sql), one text for both
/// databases with {{type}} placeholders the dialect fills in, each applied once, in order, inside one transaction with its row in schema_migrations. Every
/// Roster process migrates at start, so two that start together must not both apply one: SQLite's
/// write lock and PostgreSQL's advisory lock make the second wait and then find it done.
/// </summary>
public sealed class Migrator(RosterDatabase database)
{
    public sealed record Migration(int Version, string Name, string Sql);

    /// <summary>Work a migration needs that its SQL cannot do on both databases, run right after its
    /// text in the same transaction: by version.</summary>
    static readonly Dictionary<int, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, CancellationToken, Task>> CodeSteps = new()
    {
        [20] = KeyRefolding.ApplyAsync,
    };

    public static IReadOnlyList<Migration> For(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "Migrations/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var fileName = resource[prefix.Length..^4]; // "0001_initial"
            var version = int.Parse(fileName.AsSpan(0, 4), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var sql = reader.ReadToEnd();
            foreach (var (name, type) in dialect.MigrationTypes) sql = sql.Replace("{{" + name + "}}", type, StringComparison.Ordinal);
            if (sql.Contains("{{", StringComparison.Ordinal))
                throw new InvalidOperationException($"Migration {fileName} names a type placeholder that {dialect.Name} does not define.");
            migrations.Add(new Migration(version, fileName[5..], sql));
        }
        return migrations.OrderBy(m => m.Version).ToList();
    }

    public Task ApplyAsync(CancellationToken cancellationToken = default) => ApplyAsync(throughVersion: null, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="throughVersion"/> (all when null): a
    /// database as an older Roster left it, for the tests that a migration keeps what it found.</summary>
    public async Task ApplyAsync(int? throughVersion, CancellationToken cancellationToken = default)
    {
        var dialect = database.Dialect;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (dialect is SqliteDialect)
            {
                // WAL lets the CLI read while the server writes; the setting is kept in the file.
                await connection.Command("PRAGMA journal_mode=WAL;").ExecuteAsync(cancellationToken);
            }
        }

        foreach (var migration in For(dialect).Where(m => throughVersion is null || m.Version <= throughVersion))
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                if (dialect.MigrationLockStatement.Length > 0)
                    await connection.Command(dialect.MigrationLockStatement, transaction).ExecuteAsync(cancellationToken);
                await connection.Command(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
                    transaction).ExecuteAsync(cancellationToken);
                var applied = await connection.Command("SELECT count(*) FROM schema_migrations WHERE version = @v", transaction)
                    .With("@v", migration.Version).ScalarLongAsync(cancellationToken);
                if (applied > 0) return;
                await connection.Command(migration.Sql, transaction).ExecuteAsync(cancellationToken);
                if (CodeSteps.TryGetValue(migration.Version, out var step)) await step(connection, transaction, cancellationToken);
                await connection.Command("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", transaction)
                    .With("@v", migration.Version).With("@n", migration.Name).With("@t", DateTimeOffset.UtcNow.ToDb())
                    .ExecuteAsync(cancellationToken);
            }, cancellationToken);
        }
    }
}
