using Roster.Directory.Enterprises;

namespace Roster.Tests.Isolation;

/// <summary>One enterprise of an <see cref="IsolationWorld"/>, populated as an IdP and an admin would
/// leave it, with the ids of everything it holds.</summary>
public sealed record Tenant(ScimClient Scim, string ApiKey, string ApiKeyId)
{
    public Enterprise Enterprise => Scim.Enterprise;
    public List<string> MemberIds { get; } = [];
    public List<string> UserNames { get; } = [];
    public List<string> GroupIds { get; } = [];
    public List<string> GroupNames { get; } = [];
    public string TokenId { get; set; } = "";
    public string WebhookId { get; set; } = "";
    public List<long> DeliveryIds { get; } = [];
    public List<long> LogEntryIds { get; } = [];
    public string EventCursor { get; set; } = "";
    public string MembersCursor { get; set; } = "";
    public string ScimUsersCursor { get; set; } = "";

    /// <summary>Every id of this tenant's data, as text: none may appear in another tenant's answers.</summary>
    public IEnumerable<string> Ids =>
        [.. MemberIds, .. GroupIds, TokenId, ApiKeyId, WebhookId, Enterprise.Id];
}
