using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Roster.Directory;
using Roster.Saml;

namespace Roster.AdminConsole;

/// <summary>What the admin console adds to the server: Razor Pages under /console, antiforgery with
/// keys every instance shares, its stylesheet, and the security headers on every console response.</summary>
internal static class ConsoleHosting
{
    const string AntiforgeryCookieName = "roster_console_antiforgery";

    /// <summary>Roster's pages' policy, plus script from Roster itself: the console's one script file
    /// (copy buttons, live log updates), which may fetch from Roster only. Still no inline script, no
    /// inline handlers, nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy + "; script-src 'self'; connect-src 'self'";

    public static void AddAdminConsole(this IServiceCollection services, RosterDirectory directory)
    {
        services.AddRazorPages(options => options.RootDirectory = "/AdminConsole/Pages")
            .AddMvcOptions(options => options.Filters.Add(new UnhandledMethodFilter()));
        services.AddSingleton<ConsoleAccess>();
        services.AddDataProtection().SetApplicationName("roster");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new DatabaseXmlRepository(directory.DataProtectionKeys));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.Path = ConsoleUrls.Root;
            // Always would refuse every request that is not HTTPS at Kestrel, which is every request behind
            // a TLS-terminating proxy; the cookie is made Secure below instead, like Roster's session cookies.
            options.Cookie.SecurePolicy = CookieSecurePolicy.None;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.FormFieldName = "__antiforgery";
            // SecurityHeaders sends DENY already.
            options.SuppressXFrameOptionsHeader = true;
        });
    }

    public static void MapAdminConsole(this WebApplication app)
    {
        // Before routing runs, so that every console response has them: pages, redirects, 400s and 404s.
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(ConsoleUrls.Root, StringComparison.OrdinalIgnoreCase)) return next(context);
            SecurityHeaders.Apply(context.Response);
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.OnStarting(() =>
            {
                MarkAntiforgeryCookieSecure(context.Response);
                return Task.CompletedTask;
            });
            return next(context);
        });
        MapAsset(app, ConsoleUrls.Stylesheet, "console.css", "text/css; charset=utf-8");
        MapAsset(app, ConsoleUrls.Icon, "icon.svg", "image/svg+xml");
        MapAsset(app, ConsoleUrls.Script, "console.js", "text/javascript; charset=utf-8");
        app.MapRazorPages();
    }

    /// <summary>A file embedded in Roster's assembly (see Roster.csproj), served at <paramref name="path"/>.</summary>
    static void MapAsset(WebApplication app, string path, string resource, string contentType) =>
        app.MapGet(path, async context =>
        {
            context.Response.ContentType = contentType;
            await using var content = typeof(ConsoleHosting).Assembly.GetManifestResourceStream(resource)!;
            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });

    static void MarkAntiforgeryCookieSecure(HttpResponse response)
    {
        var cookies = response.Headers.SetCookie;
        if (!cookies.Any(c => c is not null && c.StartsWith(AntiforgeryCookieName + "=", StringComparison.Ordinal))) return;
        response.Headers.SetCookie = cookies.Select(c =>
                c is not null && c.StartsWith(AntiforgeryCookieName + "=", StringComparison.Ordinal) && !c.Contains("; secure", StringComparison.OrdinalIgnoreCase)
                    ? c + "; secure"
                    : c)
            .ToArray();
    }

    /// <summary>The client address the password throttle counts (the proxy's, behind one).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
