namespace Roster.Directory.SignOn;

/// <summary>An AuthnRequest Roster sent to the enterprise's IdP and the answer it waits for.</summary>
/// <param name="RequestId">The AuthnRequest's ID: the answer's InResponseTo.</param>
/// <param name="RelayKey">The opaque RelayState sent with it, which the answer brings back.</param>
/// <param name="ReturnPath">The local path to go to once signed in (never a URL of another site).</param>
public sealed record SamlPendingRequest(
    string RequestId, string EnterpriseId, string RelayKey, string Purpose, string? ReturnPath,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? ConsumedAt)
{
    /// <summary>True until it is answered or its time is up.</summary>
    public bool IsOpen(DateTimeOffset now) => ConsumedAt is null && ExpiresAt > now;
}

/// <summary>What a sign-in is for: a member signing in, or an admin testing the configuration (a
/// success verifies it).</summary>
public static class SamlRequestPurpose
{
    public const string SignIn = "sign-in";
    public const string Test = "test";

    public static bool IsValid(string value) => value is SignIn or Test;
}
