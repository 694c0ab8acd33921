namespace Roster.Directory.Members;

/// <summary>A member hidden from SCIM, as an admin looks them up: the member as last stored, when they
/// went, how (<c>removed</c> or <c>suspended</c> by the policy; null for a deletion that is final), and
/// until when a POST of the same userName restores them (null: no limit for a suspension, or final).</summary>
public sealed record DeprovisionedMember(Member Member, DateTimeOffset GoneAt, string? How, DateTimeOffset? RestorableUntil, string Source)
{
    public bool Restorable(DateTimeOffset now) => IsRestorable(How, RestorableUntil, now);

    /// <summary>What happened to them, in words.</summary>
    public string Describe(DateTimeOffset now) => Describe(How, RestorableUntil, now);

    static bool IsRestorable(string? how, DateTimeOffset? restorableUntil, DateTimeOffset now) =>
        how == "suspended" || (how == "removed" && restorableUntil is { } until && until > now);

    /// <summary>What happened to a member who went <paramref name="how"/>, in words.</summary>
    public static string Describe(string? how, DateTimeOffset? restorableUntil, DateTimeOffset now) => how switch
    {
        "suspended" => "Deleted by your identity provider and suspended by the enterprise's policy: hidden from SCIM, kept deactivated; " +
                       "provisioning the same userName again restores them.",
        "removed" when IsRestorable(how, restorableUntil, now) => "Removed by the enterprise's deprovisioning policy: hidden from SCIM, their history kept; " +
                                                                  $"provisioning the same userName again before {Minute(restorableUntil!.Value)} UTC restores them.",
        "removed" => "Removed by the enterprise's deprovisioning policy: hidden from SCIM, their history kept; no longer restorable.",
        _ => "Deleted by your identity provider: hidden from SCIM, their history kept; the deletion is final.",
    };

    /// <summary>The same, in a list's few words.</summary>
    public static string Label(string? how, DateTimeOffset? restorableUntil, DateTimeOffset now) => how switch
    {
        "suspended" => "Suspended",
        "removed" when IsRestorable(how, restorableUntil, now) => $"Removed, restorable until {Minute(restorableUntil!.Value)} UTC",
        "removed" => "Removed",
        _ => "Deleted",
    };

    static string Minute(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
