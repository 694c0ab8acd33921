using System.Globalization;
using System.Security.Cryptography;
using System.Text;

/// <summary>Checks a Roster webhook delivery: its Roster-Signature header against the raw body.</summary>
public static class RosterWebhookVerifier
{
    /// <param name="secret">The endpoint's secret, "whsec_…", as Roster showed it.</param>
    /// <param name="signatureHeader">The Roster-Signature header: "t=TIMESTAMP,v1=HEX".</param>
    /// <param name="body">The request body exactly as received, before any JSON parsing.</param>
    /// <param name="tolerance">How old a timestamp may be (5 minutes is usual): older is a replay.</param>
    public static bool IsValid(string secret, string signatureHeader, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        string? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in signatureHeader.Split(','))
        {
            var pair = part.Trim().Split('=', 2);
            if (pair.Length != 2) return false;
            if (pair[0] == "t") timestamp = pair[1];
            else if (pair[0] == "v1") signatures.Add(pair[1]);
        }
        if (timestamp is null || signatures.Count == 0) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body));
        foreach (var signature in signatures)
        {
            byte[] given;
            try { given = Convert.FromHexString(signature); }
            catch (FormatException) { continue; }
            // Constant time: a comparison that stops at the first wrong byte tells an attacker how many were right.
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return true;
        }
        return false;
    }
}
