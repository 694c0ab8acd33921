namespace Roster.Hosting;

/// <summary>The address the operator said people and IdPs reach Roster at (`roster serve --public-url`,
/// $ROSTER_PUBLIC_URL), normalized; null when they said none. Behind a proxy, the address a request
/// arrived at is the proxy's inside one, so an operator's word beats what a request says.</summary>
public sealed record PublicAddress(string? Configured);
