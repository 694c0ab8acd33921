using Roster.Directory.Health;
using Roster.Directory.Provisioning;

namespace Roster.Operations;

/// <summary>The IdP of a SCIM client as a metric tag: the project's own User-Agent reading
/// (<see cref="IdentityProviderName"/>), kept only when it names a known IdP. Any other agent is
/// "other", never the agent itself, which anyone can set to anything and would grow one series each.</summary>
public static class MetricIdentityProvider
{
    static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Okta"] = "okta",
        ["Microsoft Entra ID"] = "entra",
        ["OneLogin"] = "onelogin",
        ["JumpCloud"] = "jumpcloud",
        ["Google Workspace"] = "google",
    };

    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "none";
        if (userAgent == ConnectionHealth.SelfTestUserAgent) return "roster-self-test";
        return Tags.TryGetValue(IdentityProviderName.FromUserAgent(userAgent), out var tag) ? tag : "other";
    }
}
