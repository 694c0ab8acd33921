using Roster.Directory;

namespace Roster.Saml;

/// <summary>The SAML endpoints of every enterprise, below <c>/saml/{enterprise}</c>.</summary>
internal static class SamlEndpoints
{
    public const string MetadataContentType = "application/samlmetadata+xml";

    public static void Map(WebApplication app, RosterDirectory directory, SamlSignIn signIn)
    {
        app.MapGet(SamlUrls.PathPrefix + "/{slug}/login", signIn.StartAsync);
        app.MapPost(SamlUrls.PathPrefix + "/{slug}/acs", signIn.ConsumeAsync);
        app.MapGet(SamlUrls.PathPrefix + "/{slug}/metadata", async context =>
        {
            var slug = (string)context.Request.RouteValues["slug"]!;
            var enterprise = await directory.Enterprises.FindBySlugAsync(slug, context.RequestAborted);
            var configuration = enterprise is null ? null : await directory.SamlConfigurations.GetAsync(enterprise, context.RequestAborted);
            if (enterprise is null || configuration is null)
            {
                await SignInPages.WriteAsync(context.Response, 404, "Single sign-on is not set up",
                    ["SAML is not configured for this organisation, so Roster has no service provider metadata for it yet."]);
                return;
            }
            context.Response.ContentType = MetadataContentType + "; charset=utf-8";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            if (context.Request.Query["download"] == "1")
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"roster-{enterprise.Slug}-sp-metadata.xml\"";
            await context.Response.WriteAsync(SamlSetup.ServiceProviderMetadata(configuration), context.RequestAborted);
        });
    }
}
