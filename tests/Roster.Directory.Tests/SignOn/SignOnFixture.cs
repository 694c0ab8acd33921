using Roster.Directory.Enterprises;
using Roster.Testing;

namespace Roster.Directory.Tests.SignOn;

/// <summary>Where a sign-on store test starts: a fresh database of one kind, a directory over it whose
/// clock only the test moves, and two enterprises, Acme and Globex (to show nothing crosses from one to
/// the other). <c>var (clock, directory, acme, globex) = fixture;</c></summary>
internal sealed class SignOnFixture : IAsyncDisposable
{
    readonly DirectoryFixture database;

    SignOnFixture(DirectoryFixture database, ManualClock clock, RosterDirectory directory, Enterprise acme, Enterprise globex)
    {
        this.database = database;
        Clock = clock;
        Directory = directory;
        Acme = acme;
        Globex = globex;
    }

    public ManualClock Clock { get; }
    public RosterDirectory Directory { get; }
    public Enterprise Acme { get; }
    public Enterprise Globex { get; }

    public static async Task<SignOnFixture> CreateAsync(string kind)
    {
        var database = await DirectoryFixture.CreateAsync(kind);
        try
        {
            var clock = new ManualClock();
            var directory = await RosterDirectory.OpenAsync(database.Options, clock);
            var acme = await directory.Enterprises.CreateAsync("Acme");
            var globex = await directory.Enterprises.CreateAsync("Globex");
            return new SignOnFixture(database, clock, directory, acme, globex);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public void Deconstruct(out ManualClock clock, out RosterDirectory directory, out Enterprise acme, out Enterprise globex) =>
        (clock, directory, acme, globex) = (Clock, Directory, Acme, Globex);

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
