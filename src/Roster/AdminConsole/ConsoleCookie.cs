using Roster.Directory.AdminConsole;

namespace Roster.AdminConsole;

/// <summary>
/// The cookie of an owner account's console session: the secret (only its hash is stored), HttpOnly,
/// Secure, SameSite=Strict (no other site's link or form arrives with it), and sent to /console only.
/// </summary>
internal static class ConsoleCookie
{
    public const string Name = "roster_console";

    public static void Append(HttpResponse response, ConsoleSessions.OpenedSession session) =>
        response.Cookies.Append(Name, session.Secret, Options(session.ExpiresAt));

    public static void Delete(HttpResponse response) => response.Cookies.Delete(Name, Options(null));

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var value) && value.StartsWith(ConsoleSessions.SecretPrefix, StringComparison.Ordinal) ? value : null;

    static CookieOptions Options(DateTimeOffset? expiresAt) => new()
    {
        Path = ConsoleUrls.Root,
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Expires = expiresAt,
        IsEssential = true,
    };
}
