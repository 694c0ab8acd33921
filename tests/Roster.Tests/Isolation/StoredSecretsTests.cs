using System.Security.Cryptography;
using System.Text;
using Roster.Testing;
using Roster.Tests.AdminApi;

namespace Roster.Tests.Isolation;

/// <summary>SCIM tokens and admin API keys are kept as their SHA-256 only, and found by that hash: a
/// presented secret is never compared with a stored one character by character (which could leak
/// through timing), so a secret that differs in any one character is simply unknown.</summary>
public sealed class StoredSecretsTests
{
    static string Sha256(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Secrets that differ from <paramref name="secret"/> in one place: the end, the start after the prefix, the length, the case.</summary>
    static IEnumerable<string> NearMisses(string secret)
    {
        static char Other(char c) => c == 'A' ? 'B' : 'A';
        yield return secret[..^1] + Other(secret[^1]);
        yield return secret[..4] + Other(secret[4]) + secret[5..];
        yield return secret[..^1];
        yield return secret + "A";
        yield return secret[..4] + secret[4..].ToUpperInvariant();
        yield return secret[..4] + secret[4..].ToLowerInvariant();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Tokens_and_keys_are_stored_as_their_SHA256_only(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var idp = await host.CreateEnterpriseAsync("Acme");
        var key = (await host.Directory.ApiKeys.CreateAsync(idp.Enterprise, "script", null, actor: null)).Key;
        using var api = AdminApiClient.For(host, idp.Enterprise, key);
        var issued = (await api.PostAsync("/scim/tokens", """{"name":"by the API"}""")).AssertOk(201)["token"]!.GetValue<string>();
        // Each used once, so that whatever a request writes (last use, the log) is in the database too.
        (await idp.GetAsync("Users")).AssertOk();
        (await new ScimClient(host.Client(idp.Enterprise, $"Bearer {issued}"), idp.Enterprise, issued).GetAsync("Users")).AssertOk();

        var stored = await DatabaseSnapshot.TakeAsync(host.Directory.Database, idp.Enterprise.Id);
        foreach (var secret in new[] { idp.Token, issued, key })
        {
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(secret[..^4], stored); // the hint is the last four characters; nothing more
            Assert.Contains(Sha256(secret), stored);
        }
        var hashes = await host.Directory.Database.ReadAsync(c => Roster.Directory.Storage.SqlCommands.ListAsync(
            Roster.Directory.Storage.SqlCommands.Command(c, "SELECT token_hash FROM scim_tokens UNION ALL SELECT key_hash FROM admin_api_keys"), r => r.GetString(0)));
        Assert.Equal(new[] { idp.Token, issued, key }.Select(Sha256).Order(), hashes.Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_token_or_key_one_character_off_is_refused_as_any_unknown_one(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var idp = await host.CreateEnterpriseAsync("Acme");
        var key = (await host.Directory.ApiKeys.CreateAsync(idp.Enterprise, "script", null, actor: null)).Key;

        var scimRefusals = new HashSet<string>();
        foreach (var miss in NearMisses(idp.Token).Append("rst_unknown"))
        {
            var refused = await new ScimClient(host.Client(idp.Enterprise, $"Bearer {miss}"), idp.Enterprise, miss).GetAsync("Users");
            refused.AssertError(401);
            scimRefusals.Add(refused.Body);
        }
        Assert.Single(scimRefusals);
        (await idp.GetAsync("Users")).AssertOk();

        var apiRefusals = new HashSet<string>();
        foreach (var miss in NearMisses(key).Append("rak_unknown"))
        {
            using var api = new AdminApiClient(host, idp.Enterprise.Slug, $"Bearer {miss}");
            var refused = await api.GetAsync("/members");
            refused.AssertProblem(401);
            apiRefusals.Add(refused.Body);
        }
        Assert.Single(apiRefusals);
        using (var own = AdminApiClient.For(host, idp.Enterprise, key)) (await own.GetAsync("/members")).AssertOk();
    }
}
