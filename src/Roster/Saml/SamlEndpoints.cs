namespace Roster.Saml;

/// <summary>The SAML endpoints of every enterprise, below <c>/saml/{enterprise}</c>.</summary>
internal static class SamlEndpoints
{
    public const string MetadataContentType = "application/samlmetadata+xml";

    public static void Map(WebApplication app, SamlSignIn signIn)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Roster.Saml");
        app.MapGet(SamlUrls.PathPrefix + "/{slug}/login", context => Guarded(context, signIn.StartAsync, logger));
        app.MapPost(SamlUrls.PathPrefix + "/{slug}/acs", context => Guarded(context, signIn.ConsumeAsync, logger));
        app.MapGet(SamlUrls.PathPrefix + "/{slug}/metadata", async context =>
        {
            if (await signIn.FindConfiguredAsync(context) is not ({ } enterprise, { } configuration))
            {
                await SamlSignIn.NotConfiguredAsync(context.Response);
                return;
            }
            context.Response.ContentType = MetadataContentType + "; charset=utf-8";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            if (context.Request.Query["download"] == "1")
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"roster-{enterprise.Slug}-sp-metadata.xml\"";
            await context.Response.WriteAsync(SamlSetup.ServiceProviderMetadata(configuration), context.RequestAborted);
        });
    }

    /// <summary>A sign-in that cannot go on (the database unreachable) is a plain 503 page, never a
    /// bare 500 or a stack trace; the error goes to the log.</summary>
    static async Task Guarded(HttpContext context, Func<HttpContext, Task> handle, ILogger logger)
    {
        try
        {
            await handle(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "SAML {Path} failed, reference {Reference}", context.Request.Path, context.TraceIdentifier);
            if (context.Response.HasStarted) return;
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "30";
            await SignInPages.WriteAsync(context.Response, 503, "Sign-in is unavailable",
                [$"Roster cannot complete the sign-in right now. Try again in a minute. Reference: {context.TraceIdentifier}."]);
        }
    }
}
