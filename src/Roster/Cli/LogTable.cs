using Roster.Directory.Provisioning;
using Roster.Scim.Resources;

namespace Roster.Cli;

/// <summary>The provisioning log as a table a person reads in a terminal.</summary>
internal static class LogTable
{
    public static void Write(TextWriter output, IReadOnlyList<ProvisioningEvent> events)
    {
        if (events.Count == 0)
        {
            output.WriteLine("No provisioning attempts yet.");
            return;
        }
        string[] header = ["TIME", "OPERATION", "TARGET", "OUTCOME", "STATUS", "DETAIL"];
        var rows = events.Select(e => new[]
        {
            ResourceWriter.FormatTime(e.OccurredAt),
            e.Operation + (e.ResourceType is null ? "" : " " + e.ResourceType),
            Target(e),
            e.Outcome,
            e.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (e.Outcome == ProvisioningEvent.Failed ? e.Reason : e.Effect) ?? "",
        }).ToList();
        var widths = Enumerable.Range(0, header.Length - 1).Select(i => Math.Min(60, rows.Append(header).Max(r => r[i].Length))).ToArray();
        output.WriteLine(Format(header, widths));
        foreach (var row in rows) output.WriteLine(Format(row, widths));
    }

    static string Target(ProvisioningEvent e) =>
        e.TargetName is not null ? e.TargetName + (e.TargetId is null ? "" : $" ({e.TargetId})") : e.TargetId ?? "-";

    static string Format(string[] row, int[] widths) =>
        string.Join("  ", row.Select((cell, i) => i < widths.Length ? Fit(cell, widths[i]).PadRight(widths[i]) : cell));

    static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
