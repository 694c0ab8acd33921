using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Directory.Tokens;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>An authenticated SCIM request of one enterprise, as the operations see it.</summary>
/// <param name="userType">The enterprise's User resource type (its declared schemas included), read once
/// for the request: every step of it, each operation of a Bulk too, parses, stores and renders by the same one.</param>
internal sealed class ScimRequest(HttpContext http, RosterDirectory directory, Enterprise enterprise, ScimToken token, ProvisioningAttempt attempt,
    ResourceTypeDefinition userType)
{
    public HttpContext Http { get; } = http;
    public RosterDirectory Directory { get; } = directory;
    public Enterprise Enterprise { get; } = enterprise;
    public ScimToken Token { get; } = token;
    public ProvisioningAttempt Attempt { get; } = attempt;
    public ResourceTypeDefinition UserType { get; } = userType;
    public CancellationToken Aborted => Http.RequestAborted;
    public IQueryCollection Query => Http.Request.Query;

    /// <summary>The enterprise's SCIM base URL as this client reached it, for meta.location.</summary>
    public string BaseUrl => $"{Http.Request.Scheme}://{Http.Request.Host}{Http.Request.PathBase}{Enterprise.ScimPath}";

    public ScimContext Context => new(Directory, Enterprise, UserType, BaseUrl, Aborted);
}
