using Roster.Directory.AdminConsole;

namespace Roster.Directory.Tests;

/// <summary>Owners' passwords: PBKDF2-SHA256 at 600,000 iterations with a salt per hash, in a format
/// that names its parameters; anything unreadable matches nothing.</summary>
public sealed class PasswordHasherTests
{
    [Fact]
    public void A_hash_names_its_scheme_and_cost_has_its_own_salt_and_verifies_only_its_password()
    {
        var first = PasswordHasher.Hash("correct horse battery staple");
        var second = PasswordHasher.Hash("correct horse battery staple");

        var parts = first.Split('$');
        Assert.Equal(["pbkdf2-sha256", "600000"], parts[..2]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.NotEqual(first, second); // a salt per hash
        Assert.True(PasswordHasher.Verify("correct horse battery staple", first));
        Assert.False(PasswordHasher.Verify("correct horse battery stapler", first));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("md5$abc")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // far too cheap: refused
    [InlineData("pbkdf2-sha256$600000$not base64$x")]
    public void No_password_matches_a_missing_or_unreadable_hash(string? stored) =>
        Assert.False(PasswordHasher.Verify("correct horse battery staple", stored));

    [Theory]
    [InlineData("", "Enter a password.")]
    [InlineData("elevenchars", "Use at least 12 characters.")]
    [InlineData("             ", "A password cannot be only spaces.")]
    public void A_password_shorter_than_12_characters_is_refused(string password, string reason) =>
        Assert.Equal(reason, PasswordHasher.Weakness(password));
}
