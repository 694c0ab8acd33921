using Roster.Directory;

namespace Roster.Saml;

/// <summary>An IdP's metadata fetched from the https URL an admin gave (the command line or the
/// console), with <see cref="IdpMetadataFetcher"/>'s guards; a refusal reads as the admin's error.</summary>
internal static class IdpMetadataDownload
{
    /// <summary>Whether <paramref name="source"/> is a URL to fetch rather than a file or pasted text.</summary>
    public static bool IsUrl(string source) =>
        source.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="RosterException">The URL is not usable or the fetch was refused or failed.</exception>
    public static async Task<string> FetchAsync(string url, IdpMetadataFetchOptions options, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
            throw new RosterException($"'{url}' is not a URL: give the https address of the IdP's metadata.");
        try
        {
            return await IdpMetadataFetcher.FetchAsync(uri, options, cancellationToken);
        }
        catch (SamlMetadataException e)
        {
            throw new RosterException(e.Message);
        }
    }
}
