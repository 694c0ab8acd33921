namespace Roster.Directory.Audit;

/// <summary>One admin action as the audit log keeps it: who did what to which enterprise, and when.</summary>
/// <param name="Action">One of <see cref="AdminAction"/>'s codes.</param>
/// <param name="Summary">What changed, in words; never a secret.</param>
public sealed record AdminAuditEntry(long Id, string EnterpriseId, DateTimeOffset OccurredAt, string Actor, string Action, string Summary);
