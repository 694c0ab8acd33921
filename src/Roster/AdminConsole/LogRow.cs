using System.Globalization;
using Roster.Directory.Provisioning;

namespace Roster.AdminConsole;

/// <summary>One line of the provisioning log as the console shows it, in the page's table, in the live
/// entries (as JSON data the script turns into text nodes) and in the CSV export.</summary>
internal sealed record LogRow(
    long Id, string Time, string Idp, string Operation, string? Target, string? TargetUrl, string Outcome, int Status, string Words,
    string EntryUrl)
{
    public static LogRow From(ProvisioningEvent entry, string slug) => new(
        entry.Id, TimeOf(entry.OccurredAt), IdentityProviderName.FromUserAgent(entry.Client), entry.Operation,
        entry.TargetName ?? entry.TargetId, TargetUrlOf(entry, slug), entry.Outcome, entry.HttpStatus, ProvisioningReasonText.Describe(entry),
        ConsoleUrls.LogEntry(slug, entry.Id));

    /// <summary>A log time: UTC like the rest of the console, to the second (requests come in bursts).</summary>
    public static string TimeOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string? TargetUrlOf(ProvisioningEvent entry, string slug) => entry.TargetId is not { Length: > 0 } id ? null
        : entry.ResourceType switch
        {
            "User" => ConsoleUrls.Member(slug, id),
            "Group" => ConsoleUrls.Group(slug, id),
            _ => null,
        };
}
