namespace Roster.Directory.Members;

/// <summary>A member hidden from SCIM, as an admin looks them up: the member as last stored, when they
/// went, how (<c>removed</c> or <c>suspended</c> by the policy; null for a deletion that is final), and
/// until when a POST of the same userName restores them (null: no limit for a suspension, or final).</summary>
public sealed record DeprovisionedMember(Member Member, DateTimeOffset GoneAt, string? How, DateTimeOffset? RestorableUntil, string Source)
{
    public bool Restorable(DateTimeOffset now) => How == "suspended" || (How == "removed" && RestorableUntil is { } until && until > now);

    /// <summary>What happened to them, in words.</summary>
    public string Describe(DateTimeOffset now) => How switch
    {
        "suspended" => "Deleted by your identity provider and suspended by the enterprise's policy: hidden from SCIM, kept deactivated; " +
                       "provisioning the same userName again restores them.",
        "removed" when Restorable(now) => $"Removed by the enterprise's deprovisioning policy: hidden from SCIM, their history kept; provisioning the same " +
                                          $"userName again before {RestorableUntil!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC restores them.",
        "removed" => "Removed by the enterprise's deprovisioning policy: hidden from SCIM, their history kept; no longer restorable.",
        _ => "Deleted by your identity provider: hidden from SCIM, their history kept; the deletion is final.",
    };
}
