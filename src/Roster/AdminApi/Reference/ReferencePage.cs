using Roster.Saml;

namespace Roster.AdminApi.Reference;

/// <summary>
/// /api/reference: an interactive reference of the admin API, rendered in the browser from
/// /openapi/v1.json by one script of Roster's own (no CDN, nothing fetched from elsewhere), with a
/// field for the key and "Try it" on every operation. Served under a CSP without inline script or style.
/// </summary>
internal static class ReferencePage
{
    public const string Path = "/api/reference";
    public const string Script = "/api/reference/reference.js";
    public const string Stylesheet = "/api/reference/reference.css";

    /// <summary>Roster's pages' policy, plus its own script, which fetches from Roster only (the
    /// document, and the API calls of "Try it").</summary>
    public const string ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy + "; script-src 'self'; connect-src 'self'";

    public static void Map(WebApplication app)
    {
        MapAsset(app, Path, "api-reference.html", "text/html; charset=utf-8");
        MapAsset(app, Script, "api-reference.js", "text/javascript; charset=utf-8");
        MapAsset(app, Stylesheet, "api-reference.css", "text/css; charset=utf-8");
    }

    static void MapAsset(WebApplication app, string path, string resource, string contentType) =>
        app.MapGet(path, async context =>
        {
            SecurityHeaders.Apply(context.Response);
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.ContentType = contentType;
            await using var content = typeof(ReferencePage).Assembly.GetManifestResourceStream(resource)!;
            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
}
