namespace Roster.Directory.Provisioning;

/// <summary>
/// Which entries of an enterprise's provisioning log to read. Every condition narrows; none set reads
/// all. <see cref="Before"/> pages backwards (older), <see cref="After"/> reads what is newer than an
/// entry already shown (the live log).
/// </summary>
public sealed record ProvisioningLogFilter
{
    public static readonly ProvisioningLogFilter All = new();

    /// <summary><see cref="ProvisioningEvent.Failed"/>, <see cref="ProvisioningEvent.Succeeded"/>, or null for both.</summary>
    public string? Outcome { get; init; }

    /// <summary>The operation exactly as recorded (create, replace, patch, delete, list, get, ...).</summary>
    public string? Operation { get; init; }

    /// <summary>A target by id, or by name: a live member's userName or group's displayName, without regard to case.</summary>
    public string? Target { get; init; }

    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }

    public long? Before { get; init; }
    public long? After { get; init; }
}
