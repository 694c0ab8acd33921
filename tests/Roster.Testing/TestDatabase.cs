using Xunit;

namespace Roster.Testing;

/// <summary>
/// A fresh, empty database of one kind for one test, so that every store test can run on both
/// SQLite and PostgreSQL:
/// <code>
/// [Theory, MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
/// public async Task Stores_a_user(string kind)
/// {
///     await using var db = await TestDatabase.CreateAsync(kind);
///     // sqlite: db.DataDirectory is an empty directory; postgres: db.ConnectionString names an empty database
/// }
/// </code>
/// For "postgres" the availability policy of <see cref="PostgresCluster.RequireDatabaseAsync"/> applies:
/// without PostgreSQL the test fails when CI is "true" and is skipped otherwise.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>The SQLite kind: a fresh directory for the store's files.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>The PostgreSQL kind: a fresh database on the process-wide <see cref="PostgresCluster"/>.</summary>
    public const string Postgres = "postgres";

    int _disposed;

    TestDatabase(string kind, string? connectionString, string? dataDirectory)
    {
        Kind = kind;
        ConnectionString = connectionString;
        DataDirectory = dataDirectory;
    }

    /// <summary>
    /// Every kind, for <c>[MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]</c>.
    /// A method rather than a property on purpose: xunit.analyzers 1.27 (what xunit.v3 3.2.2 brings)
    /// crashes (AD0001, an error here) on MemberData naming a property or field of another assembly.
    /// </summary>
    public static TheoryData<string> Kinds() => new() { Sqlite, Postgres };

    /// <summary>"sqlite" or "postgres".</summary>
    public string Kind { get; }

    /// <summary>postgres: an Npgsql connection string for a new, empty database. Null for sqlite.</summary>
    public string? ConnectionString { get; }

    /// <summary>sqlite: a new, empty temporary directory, deleted on dispose. Null for postgres.</summary>
    public string? DataDirectory { get; }

    /// <summary>
    /// Creates a database of <paramref name="kind"/> ("sqlite" or "postgres"). For postgres, skips the
    /// test (or fails it when CI is "true") when PostgreSQL is unavailable.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(string kind, CancellationToken cancellationToken = default)
    {
        switch (kind)
        {
            case Sqlite:
                return new TestDatabase(kind, null, Directory.CreateTempSubdirectory("roster-sqlite-").FullName);
            case Postgres:
                var connectionString = await PostgresCluster.RequireDatabaseAsync(cancellationToken).ConfigureAwait(false);
                return new TestDatabase(kind, connectionString, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown database kind; expected \"{Sqlite}\" or \"{Postgres}\".");
        }
    }

    /// <summary>sqlite: deletes the directory; postgres: drops the database (closing its connections).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (DataDirectory is not null)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }

        if (ConnectionString is not null)
        {
            var cluster = await PostgresCluster.GetAsync().ConfigureAwait(false);
            await cluster.DropDatabaseAsync(ConnectionString).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind;
}
