namespace Roster.Hosting;

/// <summary>
/// The cookie that carries a member's session: the secret itself (only its hash is stored), HttpOnly
/// so no script reads it, Secure, and SameSite=Lax so that no other site's form posts with it.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "roster_session";

    public static void Append(HttpResponse response, string secret, DateTimeOffset expiresAt) =>
        response.Cookies.Append(Name, secret, Options(expiresAt));

    public static void Delete(HttpResponse response) => response.Cookies.Delete(Name, Options(null));

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var value) && value.StartsWith(Directory.Members.MemberSessions.SecretPrefix, StringComparison.Ordinal)
            ? value
            : null;

    static CookieOptions Options(DateTimeOffset? expiresAt) => new()
    {
        Path = "/",
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Expires = expiresAt,
        IsEssential = true,
    };
}
