using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Roster.Directory;
using Roster.Saml;

namespace Roster.AdminConsole;

/// <summary>What the admin console adds to the server: Razor Pages under /console, antiforgery with
/// keys every instance shares, its stylesheet, and the security headers on every console response.</summary>
internal static class ConsoleHosting
{
    public static void AddAdminConsole(this IServiceCollection services, RosterDirectory directory)
    {
        services.AddRazorPages(options => options.RootDirectory = "/AdminConsole/Pages");
        services.AddSingleton<ConsoleAccess>();
        services.AddDataProtection().SetApplicationName("roster");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new DatabaseXmlRepository(directory.DataProtectionKeys));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "roster_console_antiforgery";
            options.Cookie.Path = ConsoleUrls.Root;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
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
            if (context.Request.Path.StartsWithSegments(ConsoleUrls.Root, StringComparison.OrdinalIgnoreCase)) SecurityHeaders.Apply(context.Response);
            return next(context);
        });
        app.MapGet(ConsoleUrls.Stylesheet, async context =>
        {
            context.Response.ContentType = "text/css; charset=utf-8";
            await using var css = typeof(ConsoleHosting).Assembly.GetManifestResourceStream("console.css")!;
            await css.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapRazorPages();
    }

    /// <summary>The client address the password throttle counts (the proxy's, behind one).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
