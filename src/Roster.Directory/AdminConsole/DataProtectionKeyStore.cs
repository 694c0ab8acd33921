using Roster.Directory.Storage;

namespace Roster.Directory.AdminConsole;

/// <summary>The host's data-protection keys (as XML), kept in the database that every Roster instance
/// shares: a form one instance renders carries an antiforgery token another can check.</summary>
public sealed class DataProtectionKeyStore(RosterDatabase database, TimeProvider clock)
{
    public Task<List<string>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command("SELECT xml FROM console_data_protection_keys ORDER BY created_at, friendly_name")
            .ListAsync(r => r.GetString(0), cancellationToken), cancellationToken);

    /// <summary>Adds a key; one of the same name that another instance stored first is kept.</summary>
    public Task StoreAsync(string friendlyName, string xml, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync((connection, transaction) => connection.Command(
                "INSERT INTO console_data_protection_keys (friendly_name, xml, created_at) VALUES (@n, @x, @now) ON CONFLICT (friendly_name) DO NOTHING",
                transaction)
            .With("@n", friendlyName).With("@x", xml).With("@now", clock.GetUtcNow().ToDb()).ExecuteAsync(cancellationToken), cancellationToken);
}
