using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Tokens;

namespace Roster.Scim;

/// <summary>
/// Who is calling an enterprise's SCIM URL. Okta's "HTTP Header" mode sends the token bare and its
/// "Bearer" mode as <c>Bearer TOKEN</c>; both are read. An unknown enterprise and a wrong token get
/// the same answer, so the URL reveals nothing about which enterprises exist.
/// </summary>
internal static class ScimAuthenticator
{
    public static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0) return null;
        const string bearer = "Bearer ";
        if (header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return header[bearer.Length..].Trim();
        if (header.StartsWith(ScimTokenStore.SecretPrefix, StringComparison.Ordinal) && !header.Contains(' ')) return header;
        return null;
    }

    public static async Task<TokenCheck> AuthenticateAsync(RosterDirectory directory, Enterprise? enterprise, HttpRequest request,
        CancellationToken cancellationToken)
    {
        var secret = ReadToken(request);
        if (enterprise is null) return new TokenCheck(null, "no such enterprise");
        if (secret is null)
        {
            return new TokenCheck(null, request.Headers.Authorization.Count == 0
                ? "no Authorization header was sent"
                : "the Authorization header is not a bearer token");
        }
        return await directory.Tokens.AuthenticateAsync(enterprise, secret, cancellationToken);
    }
}
