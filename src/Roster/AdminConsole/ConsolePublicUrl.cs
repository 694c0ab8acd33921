using Roster.Hosting;
using Roster.Saml;

namespace Roster.AdminConsole;

/// <summary>The address the SP values are made from before SAML is configured: the public URL the
/// operator started Roster with (--public-url, ROSTER_PUBLIC_URL) when there is one, otherwise the
/// scheme and host this request came to. Once SAML is configured the stored values are what count
/// (the IdP is set up with them).</summary>
internal static class ConsolePublicUrl
{
    public static bool IsConfigured(HttpContext context) => context.RequestServices.GetService<PublicAddress>()?.Configured is not null;

    public static string For(HttpRequest request) =>
        request.HttpContext.RequestServices.GetService<PublicAddress>()?.Configured
        ?? SamlUrls.NormalizePublicBaseUrl($"{request.Scheme}://{request.Host.Value}");
}
