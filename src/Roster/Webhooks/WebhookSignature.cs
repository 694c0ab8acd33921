using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Roster.Webhooks;

/// <summary>
/// How a delivery is signed: <c>Roster-Signature: t=TIMESTAMP,v1=HEX</c>, where TIMESTAMP is the Unix
/// time in seconds of the attempt and HEX the lower-case hex HMAC-SHA256, keyed with the endpoint's
/// secret (the whole string, "whsec_…", as UTF-8), of "TIMESTAMP.BODY". The timestamp is inside the
/// MAC, so a receiver that refuses old timestamps refuses replays. docs/webhooks.md shows receivers
/// checking it in C#, Node and Python.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Roster-Signature";

    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(seconds + "." + body));
        return $"t={seconds},v1={Convert.ToHexStringLower(mac)}";
    }
}
