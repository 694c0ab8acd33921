using System.Security.Cryptography;

namespace Roster.Directory;

/// <summary>Identifiers and secrets.</summary>
public static class Identifiers
{
    static readonly Lock IdGate = new();
    static long lastMilliseconds;
    static int counter;

    /// <summary>
    /// A new resource id: a version-7 UUID (RFC 9562 §5.7) whose 12 bits after the timestamp count
    /// up within a millisecond (§6.2, method 1), so that ids made by one process sort in the order
    /// they were made. Lists order by creation time, then id: members created in the same
    /// millisecond still page in creation order.
    /// </summary>
    public static string NewId()
    {
        long milliseconds;
        int sequence;
        lock (IdGate)
        {
            milliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (milliseconds <= lastMilliseconds)
            {
                milliseconds = lastMilliseconds;
                if (++counter > 0xFFF)
                {
                    milliseconds = ++lastMilliseconds;
                    counter = Random.Shared.Next(0x800);
                }
            }
            else
            {
                lastMilliseconds = milliseconds;
                // A random start within the lower half leaves room to count up.
                counter = Random.Shared.Next(0x800);
            }
            sequence = counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (sequence >> 8));
        bytes[7] = (byte)sequence;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

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
