namespace Roster.Directory.Provisioning;

/// <summary>
/// One request from an IdP as the provisioning log will tell it: who called, what they asked for,
/// and (once known) what it did. The host fills in the request; the directory fills in the target
/// and effect inside the transaction that makes the change, so the change and its record are one.
/// </summary>
public sealed class ProvisioningAttempt
{
    public required string EnterpriseId { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Operation { get; init; }
    public string? ResourceType { get; init; }
    public string? RequestId { get; init; }
    public string? Client { get; init; }
    public string? TokenId { get; set; }
    public DateTimeOffset StartedAt { get; init; }

    public string? TargetId { get; set; }
    public string? TargetName { get; set; }
    public string? Effect { get; set; }
    /// <summary>The status the host will answer with when the operation succeeds.</summary>
    public int SuccessStatus { get; set; } = 200;
}

/// <summary>An entry of the provisioning log, as read back.</summary>
public sealed record ProvisioningEvent(
    long Id, string EnterpriseId, DateTimeOffset OccurredAt, string? RequestId, string Method, string Path,
    string Operation, string? ResourceType, string? TargetId, string? TargetName, string Outcome, string? Effect,
    int HttpStatus, string? ScimType, string? Reason, string? Client, string? TokenId, int? DurationMs)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
