namespace Roster.Saml;

/// <summary>Which URLs Roster accepts for an IdP endpoint that people's browsers are sent to.</summary>
public static class IdpEndpointPolicy
{
    /// <summary>Absolute https: people type their password at the far end. Plain http only for a
    /// loopback host, so an administrator can try a test IdP on their own machine.</summary>
    public static bool IsAcceptable(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));
}
