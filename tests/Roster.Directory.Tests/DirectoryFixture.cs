using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>A fresh database of one kind, and the directory over it.</summary>
internal sealed class DirectoryFixture : IAsyncDisposable
{
    readonly TestDatabase database;

    DirectoryFixture(TestDatabase database, DatabaseOptions options)
    {
        this.database = database;
        Options = options;
    }

    public DatabaseOptions Options { get; }

    public static async Task<DirectoryFixture> CreateAsync(string kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var options = kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);
        return new DirectoryFixture(database, options);
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
