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
    /// <summary>What a rule noticed about a change that went through, recorded after its effect (the
    /// domain rule's "(outside your domains: gmail.com)"); kept apart from the effect, which the
    /// operation decides last.</summary>
    public string? EffectNote { get; set; }
    /// <summary>The status the host will answer with when the operation succeeds.</summary>
    public int SuccessStatus { get; set; } = 200;

    /// <summary>The request body as received (UTF-8), referenced, not copied: read only if the attempt
    /// fails, when the log keeps it redacted. A success keeps nothing of it.</summary>
    public ReadOnlyMemory<byte> RequestBody { get; set; }

    /// <summary>The request headers worth showing, one <c>Name: value</c> a line (never Authorization
    /// or Cookie): set by the host when the attempt fails.</summary>
    public string? RequestHeaders { get; set; }

    /// <summary>Roster's answer to a failed attempt, as sent.</summary>
    public string? ResponseBody { get; set; }
}

/// <summary>An entry of the provisioning log, as read back.</summary>
public sealed record ProvisioningEvent(
    long Id, string EnterpriseId, DateTimeOffset OccurredAt, string? RequestId, string Method, string Path,
    string Operation, string? ResourceType, string? TargetId, string? TargetName, string Outcome, string? Effect,
    int HttpStatus, string? ScimType, string? Reason, string? Client, string? TokenId, int? DurationMs)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>The request and answer of a failure, redacted (read by <see cref="ProvisioningLog.FindAsync"/> only).</summary>
    public ProvisioningMessages? Messages { get; init; }

    public bool IsFailure => Outcome == Failed;
}
