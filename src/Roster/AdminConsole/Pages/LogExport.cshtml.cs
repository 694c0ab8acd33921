using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Provisioning;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/{slug}/log/export.csv: the entries the log's filters select, as CSV, streamed a
/// batch at a time (keyset by id), so a long log is never held in memory.</summary>
public sealed class LogExportModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    const int BatchSize = 500;

    static readonly string[] Header =
    [
        "id", "time_utc", "idp", "user_agent", "method", "path", "operation", "resource_type", "target_id", "target_name", "outcome",
        "http_status", "scim_type", "what_happened", "reason", "request_id", "duration_ms",
    ];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var query = LogQuery.Parse(Request.Query);
        if (query.Errors.Count > 0)
        {
            Problem = string.Join(" ", query.Errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        var now = directory.Clock.GetUtcNow();
        var filter = query.ToFilter(now) with { Before = null, After = null };

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition =
            $"attachment; filename=\"roster-log-{enterprise.Slug}-{now.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv\"";
        Response.Headers.CacheControl = "no-store";
        await using var writer = new StreamWriter(Response.Body, new System.Text.UTF8Encoding(false), 16 * 1024);
        await writer.WriteAsync(string.Join(',', Header) + "\r\n");
        while (true)
        {
            var batch = await directory.Log.QueryAsync(enterprise, filter, BatchSize, cancellationToken);
            foreach (var entry in batch) await writer.WriteAsync(Line(entry));
            await writer.FlushAsync(cancellationToken);
            if (batch.Count < BatchSize) break;
            filter = filter with { Before = batch[^1].Id };
        }
        return new EmptyResult();
    }

    static string Line(ProvisioningEvent e)
    {
        string?[] cells =
        [
            e.Id.ToString(CultureInfo.InvariantCulture), e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            IdentityProviderName.FromUserAgent(e.Client), e.Client, e.Method, e.Path, e.Operation, e.ResourceType, e.TargetId, e.TargetName,
            e.Outcome, e.HttpStatus.ToString(CultureInfo.InvariantCulture), e.ScimType, ProvisioningReasonText.Describe(e), e.Reason, e.RequestId,
            e.DurationMs?.ToString(CultureInfo.InvariantCulture),
        ];
        return string.Join(',', cells.Select(CsvCell.Escape)) + "\r\n";
    }
}
