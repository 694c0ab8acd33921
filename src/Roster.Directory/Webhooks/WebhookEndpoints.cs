using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Storage;

namespace Roster.Directory.Webhooks;

/// <summary>
/// An enterprise's webhook endpoints: added with a URL and the event types it wants, given a signing
/// secret shown once, removed (its undelivered events are given up). A new endpoint receives the
/// events that happen after it is added. Every change is audited.
/// </summary>
public sealed class WebhookEndpoints(RosterDatabase database, TimeProvider clock)
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 200;
    public const int MaxEndpoints = 20;

    const string Columns = "id, enterprise_id, url, event_types, description, created_at, created_by";

    /// <exception cref="RosterException">The URL or an event type is not valid, or the enterprise has <see cref="MaxEndpoints"/> already.</exception>
    public Task<AddedWebhookEndpoint> AddAsync(Enterprise enterprise, string url, IReadOnlyList<string> eventTypes, string? description, AuditActor actor,
        CancellationToken cancellationToken = default)
    {
        var checkedUrl = CheckUrl(url);
        var types = eventTypes.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (types.FirstOrDefault(t => !EventTypes.IsType(t)) is { } unknown)
            throw new RosterException($"'{unknown}' is not an event type: choose from {string.Join(", ", EventTypes.All)}.");
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (description is { Length: > MaxDescriptionLength }) throw new RosterException($"The description is at most {MaxDescriptionLength} characters.");
        var secret = "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await EnterpriseDirectory.LockAsync(connection, transaction, database.Dialect, enterprise, cancellationToken);
            var count = await connection.Command("SELECT count(*) FROM webhook_endpoints WHERE enterprise_id = @e AND deleted_at IS NULL", transaction)
                .With("@e", enterprise.Id).ScalarLongAsync(cancellationToken);
            if (count >= MaxEndpoints) throw new RosterException($"An enterprise has at most {MaxEndpoints} webhook endpoints: remove one first.");
            var now = clock.GetUtcNow();
            var endpoint = new WebhookEndpoint(Identifiers.NewId(), enterprise.Id, checkedUrl, types, description, now, actor.Stored);
            // From now on: the events already written are the past, which the pull API still serves.
            var latest = await EventFeed.LatestCursorAsync(connection, transaction, enterprise.Id, cancellationToken);
            await connection.Command(
                    "INSERT INTO webhook_endpoints (id, enterprise_id, url, secret, event_types, description, created_at, created_by, queued_through) " +
                    "VALUES (@id, @e, @url, @secret, @types, @description, @now, @by, @through)", transaction)
                .With("@id", endpoint.Id).With("@e", enterprise.Id).With("@url", checkedUrl).With("@secret", secret)
                .With("@types", JsonSerializer.Serialize(types)).With("@description", description).With("@now", now.ToDb()).With("@by", actor.Stored)
                .With("@through", latest).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.WebhookAdded,
                $"Webhook endpoint {endpoint.Id} added: {checkedUrl}, {(types.Count == 0 ? "every event type" : string.Join(", ", types))}", now, cancellationToken);
            return new AddedWebhookEndpoint(endpoint, secret);
        }, cancellationToken);
    }

    /// <summary>Removes the endpoint: nothing more is sent to it, and its pending deliveries are given up.</summary>
    /// <exception cref="RosterException">No such endpoint in this enterprise.</exception>
    public Task<WebhookEndpoint> RemoveAsync(Enterprise enterprise, string id, AuditActor actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var endpoint = await FindAsync(connection, transaction, enterprise, id, cancellationToken) ?? throw NotFound(id);
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE webhook_endpoints SET deleted_at = @now WHERE id = @id AND enterprise_id = @e", transaction)
                .With("@now", now.ToDb()).With("@id", endpoint.Id).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            await connection.Command(
                    "UPDATE webhook_deliveries SET state = 'failed', completed_at = @now, last_error = 'The endpoint was removed.', lease_until = NULL " +
                    "WHERE endpoint_id = @id AND enterprise_id = @e AND state = 'pending'", transaction)
                .With("@now", now.ToDb()).With("@id", endpoint.Id).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.WebhookRemoved,
                $"Webhook endpoint {endpoint.Id} removed: {endpoint.Url}", now, cancellationToken);
            return endpoint;
        }, cancellationToken);

    public Task<WebhookEndpoint?> GetAsync(Enterprise enterprise, string id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => FindAsync(c, null, enterprise, id, cancellationToken), cancellationToken);

    /// <summary>The enterprise's endpoints, oldest first, with how their deliveries stand.</summary>
    public Task<List<WebhookEndpointStatus>> ListAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                $"SELECT {Columns}, " +
                "(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.state = 'pending'), " +
                "(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.state = 'failed'), " +
                "(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.state = 'delivered'), " +
                "(SELECT MAX(completed_at) FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.state = 'delivered') " +
                "FROM webhook_endpoints w WHERE w.enterprise_id = @e AND w.deleted_at IS NULL ORDER BY w.created_at, w.id")
            .With("@e", enterprise.Id)
            .ListAsync(r => new WebhookEndpointStatus(Read(r), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.TimeOrNull(10)), cancellationToken),
            cancellationToken);

    static async Task<WebhookEndpoint?> FindAsync(DbConnection connection, DbTransaction? transaction, Enterprise enterprise, string id,
        CancellationToken cancellationToken) =>
        id.Contains('\0', StringComparison.Ordinal) ? null
            : await connection.Command($"SELECT {Columns} FROM webhook_endpoints w WHERE w.id = @id AND w.enterprise_id = @e AND w.deleted_at IS NULL", transaction)
                .With("@id", id).With("@e", enterprise.Id).SingleOrDefaultAsync(Read, cancellationToken);

    static WebhookEndpoint Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), JsonSerializer.Deserialize<List<string>>(r.GetString(3)) ?? [], r.StringOrNull(4), r.Time(5),
        r.GetString(6));

    /// <summary>
    /// An absolute https URL, without user name or password; http only to this machine (a receiver an
    /// operator runs beside Roster). Deliveries carry members' names and emails: over a network they
    /// are encrypted. Where the host resolves to is checked again at every connection.
    /// </summary>
    public static string CheckUrl(string? url)
    {
        var trimmed = url?.Trim() ?? "";
        if (trimmed.Length == 0) throw new RosterException("Give the endpoint's URL.");
        if (trimmed.Length > MaxUrlLength) throw new RosterException($"The URL is at most {MaxUrlLength} characters.");
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || trimmed.Any(char.IsControl) || uri.Scheme is not ("https" or "http"))
            throw new RosterException($"'{trimmed}' is not an absolute https URL.");
        if (uri.UserInfo.Length > 0) throw new RosterException("The URL must not carry a user name or password: deliveries are authenticated by their signature.");
        if (uri.Scheme == "http" && !IsLoopback(uri))
            throw new RosterException("Webhook URLs are https (deliveries carry names and emails); http is accepted only for this machine (localhost).");
        if (uri.Fragment.Length > 0) throw new RosterException("The URL must not have a #fragment.");
        return trimmed;
    }

    static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static RosterException NotFound(string id) => new($"No webhook endpoint '{id}' in this enterprise.");
}
