namespace Roster.Directory.Provisioning;

/// <summary>
/// The identity provider a SCIM client is, named as an admin knows it, from the User-Agent it sent
/// (Okta sends "Okta SCIM Client 1.0.0", its spec test "OKTA SCIM Integration"; Entra ID's provisioning
/// service names Microsoft or Azure AD). An agent of no known IdP is shown itself, shortened.
/// </summary>
public static class IdentityProviderName
{
    public const string Unknown = "Unknown client";
    const int MaxAgentLength = 40;

    static readonly (string Marker, string Name)[] Known =
    [
        ("okta", "Okta"),
        ("microsoft", "Microsoft Entra ID"),
        ("azure", "Microsoft Entra ID"),
        ("entra", "Microsoft Entra ID"),
        ("aad", "Microsoft Entra ID"),
        ("onelogin", "OneLogin"),
        ("jumpcloud", "JumpCloud"),
        ("google", "Google Workspace"),
    ];

    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return Unknown;
        var agent = userAgent.Trim();
        foreach (var (marker, name) in Known)
        {
            if (ContainsWord(agent, marker)) return name;
        }
        return agent.Length <= MaxAgentLength ? agent : agent[..(MaxAgentLength - 1)].TrimEnd() + "…";
    }

    /// <summary>The marker as a word or the start of one ("Okta/1.0", "OktaSCIM"), not inside another
    /// word: "aad" must not match "Baadpa".</summary>
    static bool ContainsWord(string agent, string marker)
    {
        for (var at = agent.IndexOf(marker, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = agent.IndexOf(marker, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (at == 0 || !char.IsLetterOrDigit(agent[at - 1])) return true;
        }
        return false;
    }
}
