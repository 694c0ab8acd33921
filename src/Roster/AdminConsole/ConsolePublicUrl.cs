using Roster.Cli;
using Roster.Saml;

namespace Roster.AdminConsole;

/// <summary>The address the SP values are made from before SAML is configured: ROSTER_PUBLIC_URL when
/// the operator set it, otherwise the scheme and host this request came to. Once SAML is configured
/// the stored values are what count (the IdP is set up with them).</summary>
internal static class ConsolePublicUrl
{
    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SamlCommands.PublicUrlVariable));

    public static string For(HttpRequest request) => SamlUrls.NormalizePublicBaseUrl(IsConfigured
        ? Environment.GetEnvironmentVariable(SamlCommands.PublicUrlVariable)!
        : $"{request.Scheme}://{request.Host.Value}");
}
