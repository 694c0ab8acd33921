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

    /// <summary>A removed or suspended-on-DELETE member provisioned again (a POST of the same userName):
    /// the same member, with their history, rather than a new one.</summary>
    public const string Restored = "restored";

    /// <summary>An existing member not linked to SCIM (a SAML just-in-time one, or one added by hand)
    /// adopted by the IdP's create: the same member, linked to SCIM from then on.</summary>
    public static string Adopted(string previousSource) => $"adopted (was {previousSource})";

    /// <summary>Removed by the enterprise's policy (gone for SCIM, history kept) on a deactivation or a
    /// DELETE (<paramref name="trigger"/>, "deactivate" or "delete"), and until when a POST of the same
    /// userName restores them. A DELETE removed at once by the default policy stays <see cref="Deleted"/>.</summary>
    public static string Removed(string trigger, DateTimeOffset? restorableUntil) =>
        $"removed (policy: remove on {trigger}, " +
        (restorableUntil is { } until
            ? $"restorable until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC)"
            : "final)");

    /// <summary>A DELETE under the policy "suspend on delete": deactivated and kept, but hidden from SCIM
    /// (RFC 7644 §3.6 forbids returning a deleted resource), until a POST of the same userName restores them.</summary>
    public const string SuspendedOnDelete = "suspended (policy: suspend on delete; hidden from SCIM, restorable by a new POST of the same userName)";
}
