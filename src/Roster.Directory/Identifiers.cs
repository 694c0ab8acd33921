using System.Security.Cryptography;

namespace Roster.Directory;

/// <summary>Identifiers and secrets.</summary>
public static class Identifiers
{
    /// <summary>A new resource id: a version-7 UUID, so ids sort roughly by creation and index well.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("D");

    /// <summary>A secret with 256 bits of entropy, URL-safe, with a prefix that says what it is (so a
    /// leaked one is recognisable by secret scanners).</summary>
    public static string NewSecret(string prefix) =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a high-entropy secret. A slow hash would add nothing against
    /// guessing 256 random bits, and a fast one keeps each authenticated request cheap.</summary>
    public static string HashSecret(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
