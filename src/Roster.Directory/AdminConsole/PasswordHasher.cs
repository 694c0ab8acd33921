using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Roster.Directory.AdminConsole;

/// <summary>
/// Owners' break-glass passwords, stored as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in
/// base64): a slow hash with a salt of its own per password, in a format that names its parameters so
/// that a later Roster can raise the cost and still verify the hashes made before.
/// </summary>
public static class PasswordHasher
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;
    public const int MinimumLength = 12;
    public const int MaximumLength = 1024;
    const string Scheme = "pbkdf2-sha256";
    const int SaltBytes = 16;
    const int HashBytes = 32;

    /// <summary>A hash that no password matches, verified against when an account does not exist or has
    /// no password yet, so that the answer takes as long as for a real account.</summary>
    static readonly Lazy<string> Decoy = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    /// <summary>Why <paramref name="password"/> cannot be a password, or null when it can.</summary>
    public static string? Weakness(string? password) => password switch
    {
        null or { Length: 0 } => "Enter a password.",
        { Length: < MinimumLength } => $"Use at least {MinimumLength} characters.",
        { Length: > MaximumLength } => $"Use at most {MaximumLength} characters.",
        _ when string.IsNullOrWhiteSpace(password) => "A password cannot be only spaces.",
        _ => null,
    };

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; a null or
    /// unreadable hash matches nothing, after the same work as a real one.</summary>
    public static bool Verify(string password, string? stored)
    {
        if (stored is null || !TryParse(stored, out var iterations, out var salt, out var expected))
        {
            TryParse(Decoy.Value, out iterations, out salt, out expected);
            FixedTimeMatches(password, iterations, salt, expected);
            return false;
        }
        return FixedTimeMatches(password, iterations, salt, expected);
    }

    static bool FixedTimeMatches(string password, int iterations, byte[] salt, byte[] expected)
    {
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        // A stored hash is Roster's own, but a cost far beyond the current one would make each attempt a
        // denial of service: refuse it rather than run it.
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 100_000 || iterations > 10_000_000)
            return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 16 && hash.Length >= 32;
    }
}
