namespace Roster.Directory.Members;

/// <summary>How a member that SCIM no longer sees (deleted_at set) was deprovisioned, in
/// members.deprovisioned_as: what decides whether a POST of the same userName restores them. NULL for
/// members deleted before deprovisioning policies existed, whose deletion is final.</summary>
internal static class DeprovisionedAs
{
    /// <summary>Removed by the policy: restorable until members.restorable_until, if set.</summary>
    public const string Removed = "removed";

    /// <summary>Suspended on DELETE: restorable at any time.</summary>
    public const string Suspended = "suspended";
}
