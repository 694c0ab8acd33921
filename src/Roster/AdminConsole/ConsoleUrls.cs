namespace Roster.AdminConsole;

/// <summary>The console's addresses: all under /console.</summary>
internal static class ConsoleUrls
{
    public const string Root = "/console";
    public const string SignIn = "/console/sign-in";
    public const string Stylesheet = "/console/assets/console.css";
    public const string Icon = "/console/assets/icon.svg";
    public const string Script = "/console/assets/console.js";

    public static string Overview(string slug) => $"{Root}/{Uri.EscapeDataString(slug)}";

    public static string Saml(string slug) => $"{Overview(slug)}/saml";

    public static string Scim(string slug) => $"{Overview(slug)}/scim";

    public static string Members(string slug) => $"{Overview(slug)}/members";

    public static string Member(string slug, string memberId) => $"{Members(slug)}/{Uri.EscapeDataString(memberId)}";

    public static string Groups(string slug) => $"{Overview(slug)}/groups";

    public static string Group(string slug, string groupId) => $"{Groups(slug)}/{Uri.EscapeDataString(groupId)}";

    /// <summary>The provisioning log: every SCIM request and its outcome.</summary>
    public static string Log(string slug) => $"{Overview(slug)}/log";

    public static string LogEntry(string slug, long entryId) => $"{Log(slug)}/{entryId}";

    /// <summary>Identity rules: the enterprise's email domains and what happens outside them.</summary>
    public static string Identity(string slug) => $"{Overview(slug)}/identity";

    /// <summary>Connection health: which IdP calls, how it fares, what is wrong, and the self-test.</summary>
    public static string Health(string slug) => $"{Overview(slug)}/health";

    /// <summary>Webhooks: the endpoints events are pushed to, their deliveries and failures.</summary>
    public static string Webhooks(string slug) => $"{Overview(slug)}/webhooks";
    /// <summary>The admin API's keys: created, listed, revoked.</summary>
    public static string Api(string slug) => $"{Overview(slug)}/api";

    /// <summary>The audit log: every admin action, who and when.</summary>
    public static string Audit(string slug) => $"{Overview(slug)}/audit";

    /// <summary>The absolute set-up link: the token rides in the query string, the one place a link can carry it.</summary>
    public static string Setup(string publicBaseUrl, string token) => $"{publicBaseUrl}{Root}/setup?token={Uri.EscapeDataString(token)}";

    /// <summary>A console path to come back to after sign-in: local paths under /console only.</summary>
    public static bool IsReturnPath(string? path) =>
        Roster.Saml.RelayStatePaths.IsLocalPath(path) && (path == Root || path!.StartsWith(Root + "/", StringComparison.Ordinal)) && path.Length <= 512;
}
