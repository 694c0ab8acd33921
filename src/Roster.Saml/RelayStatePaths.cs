namespace Roster.Saml;

/// <summary>
/// Where an IdP-initiated sign-in may send the browser: only a path on Roster itself. The RelayState
/// of an unsolicited Response is chosen by whoever built the link, so anything else is an open redirect.
/// </summary>
public static class RelayStatePaths
{
    /// <summary>
    /// ASP.NET Core's <c>Url.IsLocalUrl</c> rule: true for "/" and "/path…", false for "//host" and
    /// "/\host" (browsers read both as another host), for absolute URLs and schemes such as
    /// "javascript:", for anything not starting with "/", and for any control character (browsers drop
    /// tabs and line breaks inside URLs, so "/\t/host" would become "//host"). Unlike IsLocalUrl, "~/"
    /// is refused: it is an application-relative path for the server, but a browser given it as a
    /// Location would resolve it against the current page.
    /// </summary>
    public static bool IsLocalPath(string? value)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/') return false;
        if (value.Length == 1) return true;
        if (value[1] is '/' or '\\') return false;
        // No backslash anywhere: Roster's own paths have none, and browsers read one as a slash.
        return !value.AsSpan(1).ContainsAnyInRange('\u0000', '\u001F') && !value.AsSpan(1).ContainsAnyInRange('\u007F', '\u009F')
               && !value.AsSpan(1).Contains('\\');
    }
}
