using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Operations;

namespace Roster.Operations;

/// <summary>
/// <c>/readyz</c>: whether this instance can serve, for a load balancer or an orchestrator. Ready when
/// the database answers and has every migration this Roster knows; otherwise 503 with a
/// <c>Retry-After</c> and the reason. The probe is bounded by <see cref="OperationsOptions.ReadinessTimeout"/>:
/// a database that does not answer makes it 503, never a hanging probe. (<c>/healthz</c> is liveness
/// only and never asks the database: a database outage must not get every instance restarted.)
/// </summary>
internal static class ReadinessEndpoint
{
    const int RetryAfterSeconds = 5;

    public static async Task<IResult> ProbeAsync(RosterDirectory directory, OperationsOptions options, HttpContext http)
    {
        var readiness = new SchemaReadiness(directory.Database);
        string reason;
        try
        {
            // WaitAsync bounds the probe even where a driver does not honour cancellation while it connects.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(options.ReadinessTimeout);
            var pending = await readiness.PendingMigrationsAsync(timeout.Token).WaitAsync(options.ReadinessTimeout, http.RequestAborted);
            if (pending.Count == 0)
            {
                return Results.Json(new JsonObject { ["status"] = "ready", ["schemaVersion"] = SchemaVersion(directory) });
            }
            reason = "migrations pending: " + string.Join(", ", pending.Select(v => v.ToString("D4", CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException && !http.RequestAborted.IsCancellationRequested)
        {
            reason = $"database unreachable: no answer within {options.ReadinessTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (RosterException e)
        {
            // RosterDatabase's message names the database by its description, never its connection string.
            reason = "database unreachable: " + e.Message.ReplaceLineEndings(" ");
        }
        catch (System.Data.Common.DbException e)
        {
            reason = "database unreachable: " + e.Message.ReplaceLineEndings(" ");
        }
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Json(new JsonObject { ["status"] = "not ready", ["reason"] = reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    static int SchemaVersion(RosterDirectory directory) => Directory.Storage.Migrator.For(directory.Database.Dialect).Max(m => m.Version);
}
