using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Directory.Tokens;

namespace Roster.Scim;

/// <summary>An authenticated SCIM request of one enterprise, as the operations see it.</summary>
internal sealed class ScimRequest(HttpContext http, RosterDirectory directory, Enterprise enterprise, ScimToken token, ProvisioningAttempt attempt)
{
    public HttpContext Http { get; } = http;
    public RosterDirectory Directory { get; } = directory;
    public Enterprise Enterprise { get; } = enterprise;
    public ScimToken Token { get; } = token;
    public ProvisioningAttempt Attempt { get; } = attempt;
    public CancellationToken Aborted => Http.RequestAborted;
    public IQueryCollection Query => Http.Request.Query;

    /// <summary>The enterprise's SCIM base URL as this client reached it, for meta.location.</summary>
    public string BaseUrl => $"{Http.Request.Scheme}://{Http.Request.Host}{Http.Request.PathBase}{Enterprise.ScimPath}";

    public ScimContext Context => new(Directory, Enterprise, BaseUrl, Aborted);
}
