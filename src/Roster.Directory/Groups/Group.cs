using System.Text.Json.Nodes;

namespace Roster.Directory.Groups;

/// <summary>A SCIM Group of one enterprise. <see cref="Resource"/> is its canonical resource without
/// members: those are rows of group_members, read apart.</summary>
public sealed record Group(
    string Id, string EnterpriseId, string DisplayName, string? ExternalId, JsonObject Resource,
    DateTimeOffset Created, DateTimeOffset LastModified, long Version);

/// <summary>A member of a group as a Group resource lists it.</summary>
public sealed record GroupMemberRef(string MemberId, string? Display);

/// <summary>A group of a member as the User's read-only <c>groups</c> lists it.</summary>
public sealed record MemberGroupRef(string GroupId, string DisplayName);

public enum MembershipChangeKind { Add, Remove, RemoveAll, Replace }

/// <summary>One change of a group's member set, applied in the order given.</summary>
public sealed record MembershipChange(MembershipChangeKind Kind, IReadOnlyList<string> MemberIds);
