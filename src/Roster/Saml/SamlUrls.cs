namespace Roster.Saml;

/// <summary>
/// Where an enterprise's SAML endpoints live: one entity ID and one ACS per enterprise, so that an
/// assertion meant for one enterprise can never pass the Audience and Recipient checks of another,
/// and the ACS knows its enterprise from the URL before it reads the message.
/// </summary>
internal sealed record SamlUrls(string EntityId, string AcsUrl, string LoginUrl, string MetadataUrl)
{
    public const string PathPrefix = "/saml";

    public static SamlUrls For(string publicBaseUrl, string slug)
    {
        var root = $"{NormalizePublicBaseUrl(publicBaseUrl)}{PathPrefix}/{slug}";
        return new SamlUrls(root, root + "/acs", root + "/login", root + "/metadata");
    }

    /// <summary>The metadata URL of a stored configuration: beside its ACS, which is always Roster's own.</summary>
    public static string MetadataUrlOf(string acsUrl) =>
        acsUrl.EndsWith("/acs", StringComparison.Ordinal) ? acsUrl[..^"/acs".Length] + "/metadata" : acsUrl + "/metadata";

    /// <summary>
    /// The address people and IdPs reach Roster at, as configured by the operator: an absolute http(s)
    /// URL without query or fragment, kept without a trailing slash.
    /// </summary>
    /// <exception cref="RosterException">It is not such a URL.</exception>
    public static string NormalizePublicBaseUrl(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new Directory.RosterException(
                $"'{value}' is not a public URL of Roster: give the https address people reach it at, such as https://roster.example.com.");
        }
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>An IdP refuses, or a browser drops secure cookies for, a plain-http address other than
    /// this machine's own: worth a warning, not a refusal (development and tests use http).</summary>
    public static bool IsInsecure(string publicBaseUrl) =>
        Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme == "http" && !uri.IsLoopback;
}
