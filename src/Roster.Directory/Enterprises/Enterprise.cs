namespace Roster.Directory.Enterprises;

/// <summary>A customer organisation: the unit every member, token and log entry belongs to.</summary>
public sealed record Enterprise(string Id, string Slug, string Name, DateTimeOffset CreatedAt)
{
    public string ScimPath => $"/scim/v2/{Slug}";
}

/// <summary>How many members an enterprise has and how many seats they take: deactivated members
/// keep their history but no seat. <paramref name="ScimEnabled"/> is as read with the counts.</summary>
/// <remarks>An <see cref="Enterprise"/> itself carries no SCIM switch: hosts keep enterprises once found
/// (they never change), and the switch does.</remarks>
public sealed record EnterpriseSummary(Enterprise Enterprise, long MembersActive, long MembersDeactivated, DateTimeOffset? LastProvisioningAt,
    bool ScimEnabled)
{
    public long SeatsUsed => MembersActive;
}
