namespace Roster.Directory.Events;

/// <summary>The kinds of change the product is told of. Names are a contract (webhook subscriptions and
/// consumers match them): add, never rename.</summary>
public static class EventTypes
{
    public const string MemberProvisioned = "member.provisioned";
    public const string MemberUpdated = "member.updated";
    public const string MemberDeactivated = "member.deactivated";
    public const string MemberReactivated = "member.reactivated";
    public const string MemberDeleted = "member.deleted";
    public const string GroupCreated = "group.created";
    public const string GroupUpdated = "group.updated";
    public const string GroupDeleted = "group.deleted";
    public const string MembershipAdded = "membership.added";
    public const string MembershipRemoved = "membership.removed";
    public const string RoleChanged = "role.changed";

    public static readonly IReadOnlyList<string> All =
    [
        MemberProvisioned, MemberUpdated, MemberDeactivated, MemberReactivated, MemberDeleted,
        GroupCreated, GroupUpdated, GroupDeleted, MembershipAdded, MembershipRemoved, RoleChanged,
    ];

    public static bool IsType(string value) => All.Contains(value, StringComparer.Ordinal);

    /// <summary>What an event is about.</summary>
    public const string SubjectMember = "member";
    public const string SubjectGroup = "group";
}
