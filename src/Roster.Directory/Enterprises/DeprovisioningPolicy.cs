namespace Roster.Directory.Enterprises;

/// <summary>
/// What Roster does when an enterprise's IdP deprovisions a member: on a deactivation (active false)
/// and on a DELETE, either <see cref="Suspend"/> (deactivated, restorable) or <see cref="Remove"/>
/// (gone for SCIM, history kept); a removed member stays restorable by a new POST of the same userName
/// for <paramref name="GraceDays"/> days (0: removal is final at once).
/// </summary>
/// <param name="UpdatedAt">When it was last set; null while the enterprise has the defaults.</param>
public sealed record DeprovisioningPolicy(string OnDeactivate, string OnDelete, int GraceDays, DateTimeOffset? UpdatedAt)
{
    public const string Suspend = "suspend";
    public const string Remove = "remove";
    public const int MaxGraceDays = 3650;

    /// <summary>Today's behaviour, which every enterprise has until an admin changes it.</summary>
    public static DeprovisioningPolicy Default { get; } = new(Suspend, Remove, 0, null);

    public static IReadOnlyList<string> Actions { get; } = [Suspend, Remove];

    /// <summary>Until when a member removed at <paramref name="now"/> can be restored; null when removal is final.</summary>
    public DateTimeOffset? RestorableUntil(DateTimeOffset now) => GraceDays > 0 ? now.AddDays(GraceDays) : null;
}
