using BenchmarkDotNet.Attributes;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;
using Roster.Directory.Tokens;

namespace Roster.Micro;

/// <summary>
/// Every SCIM request starts by checking its bearer token: the secret hashed (SHA-256), looked up by
/// hash with the enterprise's SCIM switch, in a real SQLite file among 1,000 tokens of 100 enterprises.
/// </summary>
[MemoryDiagnoser]
public class TokenLookupBenchmarks : IVerifiedBenchmark, IDisposable
{
    DirectoryInfo folder = null!;
    RosterDirectory directory = null!;
    Enterprise enterprise = null!;
    Enterprise other = null!;
    string secret = "";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    async Task SetupAsync()
    {
        folder = System.IO.Directory.CreateTempSubdirectory("roster-micro-");
        directory = await RosterDirectory.OpenAsync(DatabaseOptions.Sqlite(folder.FullName));
        var actor = AuditActor.CommandLine("bench", "localhost");
        for (var e = 0; e < 100; e++)
        {
            var created = await directory.Enterprises.CreateAsync($"Enterprise {e}");
            await directory.Enterprises.SetScimEnabledAsync(created, true);
            for (var t = 0; t < 10; t++)
            {
                var token = await directory.Tokens.CreateAsync(created, $"token {t}", null, actor);
                if (e == 42 && t == 7) (enterprise, secret) = (created, token.Secret);
                if (e == 43 && t == 0) other = created;
            }
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder?.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark] public string HashSecret() => Identifiers.HashSecret(secret);
    [Benchmark] public Task<TokenCheck> Authenticate() => directory.Tokens.AuthenticateAsync(enterprise, secret);

    public void Verify()
    {
        Setup();
        try
        {
            Check.That(HashSecret() != secret && HashSecret() == Identifiers.HashSecret(secret), "the hash is stable and not the secret");
            var check = Authenticate().GetAwaiter().GetResult();
            Check.That(check.Succeeded && check.ScimEnabled && check.Token!.Name == "token 7", "the token is found with its enterprise's switch");
            Check.That(!directory.Tokens.AuthenticateAsync(other, secret).GetAwaiter().GetResult().Succeeded, "another enterprise's URL refuses it");
            Check.That(!directory.Tokens.AuthenticateAsync(enterprise, secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a')).GetAwaiter().GetResult().Succeeded,
                "a secret one character off is refused");
        }
        finally
        {
            Dispose();
        }
    }
}
