using System.Text.Json.Nodes;

namespace Roster.Directory.Members;

/// <summary>A member of an enterprise: the SCIM User the IdP provisioned, with the server's meta.</summary>
public sealed record Member(
    string Id, string EnterpriseId, string UserName, bool Active, JsonObject Resource,
    DateTimeOffset Created, DateTimeOffset LastModified, long Version, DateTimeOffset? DeactivatedAt);

/// <summary>What a write did to a member, in the words the provisioning log uses.</summary>
public static class MemberEffect
{
    public const string Provisioned = "provisioned";
    public const string ProvisionedInactive = "provisioned (inactive)";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Deactivated = "deactivated";
    public const string Reactivated = "reactivated";
    public const string Deleted = "deleted";
}
