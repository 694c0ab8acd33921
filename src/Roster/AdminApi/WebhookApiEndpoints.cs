using Roster.Directory;
using Roster.Directory.Webhooks;

namespace Roster.AdminApi;

/// <summary>The enterprise's webhook endpoints (added with their secret shown once, listed, removed)
/// and their deliveries (listed, one with its attempts, resent), as the console's Webhooks page.</summary>
public static class WebhookApiEndpoints
{
    public sealed record WebhookEndpointResponse(
        string Id, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTime CreatedAt, string CreatedBy,
        long Pending, long Failed, long Delivered, DateTime? LastDeliveredAt);

    /// <param name="EventTypes">The event types to send; empty or absent: all.</param>
    public sealed record WebhookEndpointCreateRequest(string? Url = null, List<string>? EventTypes = null, string? Description = null);

    /// <summary>An endpoint just added: <c>secret</c> signs its deliveries, in this response only.</summary>
    public sealed record AddedWebhookEndpointResponse(string Id, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTime CreatedAt, string Secret);

    public sealed record RemovedWebhookEndpointResponse(string Id, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTime CreatedAt, DateTime RemovedAt);

    public sealed record WebhookDeliveryResponse(
        long Id, string EndpointId, string EndpointUrl, string EventId, string EventType, string EventCursor, string State, int Attempts,
        DateTime CreatedAt, DateTime? NextAttemptAt, DateTime? CompletedAt, int? LastStatus, string? LastError, long? LastDurationMs, string? LastResponse);

    public sealed record WebhookAttemptResponse(int Attempt, DateTime AttemptedAt, int? Status, string? Error, long DurationMs, string? Response);

    public sealed record WebhookDeliveryDetail(WebhookDeliveryResponse Delivery, IReadOnlyList<WebhookAttemptResponse> Attempts);

    /// <param name="NextBefore">Pass as <c>before</c> for older deliveries; null when none remain.</param>
    public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryResponse> Deliveries, long? NextBefore);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/webhooks", ListAsync)
            .WithName("ListWebhookEndpoints").WithSummary("The webhook endpoints, oldest first, with their pending, failed and delivered counts.")
            .Produces<List<WebhookEndpointResponse>>();
        enterprise.MapPost("/webhooks", AddAsync)
            .WithName("AddWebhookEndpoint").WithSummary("Add an endpoint (https; http only for localhost) for some event types (none: all); its signing secret is in this response only.")
            .WithJsonBody<WebhookEndpointCreateRequest>()
            .Produces<AddedWebhookEndpointResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapDelete("/webhooks/{endpointId}", RemoveAsync)
            .WithName("RemoveWebhookEndpoint").WithSummary("Remove an endpoint: nothing more is sent to it; its pending deliveries are given up. Answers the endpoint removed.")
            .Produces<RemovedWebhookEndpointResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblem.ContentType);
        enterprise.MapGet("/webhooks/deliveries", ListDeliveriesAsync)
            .WithName("ListWebhookDeliveries").WithSummary("Deliveries, newest first: all, one endpoint's, or the failing ones; paged back by before.")
            .WithQuery(new("endpoint", "An endpoint's id: its deliveries only."), new("failing", "true: only deliveries given up, or retrying after a failed attempt."),
                new("before", "The nextBefore of the previous page.", IsInteger: true), new("limit", "Deliveries a page, 1-500 (default 50).", IsInteger: true))
            .Produces<WebhookDeliveryPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapGet("/webhooks/deliveries/{deliveryId}", GetDeliveryAsync)
            .WithName("GetWebhookDelivery").WithSummary("One delivery and every attempt of it: status, duration, the start of the answer or the error.")
            .Produces<WebhookDeliveryDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblem.ContentType);
        enterprise.MapPost("/webhooks/deliveries/{deliveryId}/resend", ResendAsync)
            .WithName("ResendWebhookDelivery").WithSummary("Send a delivery again now (same event id), retried for another day if it fails.")
            .Produces<WebhookDeliveryResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> ListAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok((await directory.Webhooks.ListAsync(context.ApiCaller().Enterprise, context.RequestAborted)).Select(s => new WebhookEndpointResponse(
            s.Endpoint.Id, s.Endpoint.Url, s.Endpoint.EventTypes, s.Endpoint.Description, ApiRequest.Utc(s.Endpoint.CreatedAt), s.Endpoint.CreatedBy,
            s.Pending, s.Failed, s.Delivered, ApiRequest.Utc(s.LastDeliveredAt))).ToList());

    static async Task<IResult> AddAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<WebhookEndpointCreateRequest>();
        var added = await directory.Webhooks.AddAsync(caller.Enterprise, body.Url ?? "", body.EventTypes ?? [], body.Description, caller.Actor, context.RequestAborted);
        var endpoint = added.Endpoint;
        return TypedResults.Created($"{EnterpriseApi.Prefix}/enterprises/{caller.Enterprise.Id}/webhooks/{endpoint.Id}",
            new AddedWebhookEndpointResponse(endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Description, ApiRequest.Utc(endpoint.CreatedAt), added.Secret));
    }

    static async Task<IResult> RemoveAsync(HttpContext context, RosterDirectory directory, string endpointId)
    {
        var caller = context.ApiCaller();
        if (await directory.Webhooks.GetAsync(caller.Enterprise, endpointId, context.RequestAborted) is null)
            return ApiProblem.NotFound("This enterprise has no webhook endpoint with that id.");
        var removed = await directory.Webhooks.RemoveAsync(caller.Enterprise, endpointId, caller.Actor, context.RequestAborted);
        return TypedResults.Ok(new RemovedWebhookEndpointResponse(removed.Id, removed.Url, removed.EventTypes, removed.Description,
            ApiRequest.Utc(removed.CreatedAt), ApiRequest.Utc(directory.Clock.GetUtcNow())));
    }

    static async Task<IResult> ListDeliveriesAsync(HttpContext context, RosterDirectory directory)
    {
        var failing = context.QueryChoice("failing", ["true", "false"]) == "true";
        var endpoint = context.QueryText("endpoint", 64);
        var before = context.QueryNumber("before", 1, long.MaxValue);
        var limit = (int)context.QueryNumber("limit", 1, 500, 50);
        var deliveries = await directory.WebhookQueue.ListAsync(context.ApiCaller().Enterprise, endpoint, failing, limit + 1, before, context.RequestAborted);
        long? nextBefore = null;
        if (deliveries.Count > limit)
        {
            deliveries.RemoveAt(deliveries.Count - 1);
            nextBefore = deliveries[^1].Id;
        }
        return TypedResults.Ok(new WebhookDeliveryPage(deliveries.Select(Delivery).ToList(), nextBefore));
    }

    static async Task<IResult> GetDeliveryAsync(HttpContext context, RosterDirectory directory, long deliveryId)
    {
        var enterprise = context.ApiCaller().Enterprise;
        if (await directory.WebhookQueue.GetAsync(enterprise, deliveryId, context.RequestAborted) is not { } delivery)
            return ApiProblem.NotFound("This enterprise has no webhook delivery with that id.");
        var attempts = await directory.WebhookQueue.AttemptsAsync(enterprise, deliveryId, context.RequestAborted);
        return TypedResults.Ok(new WebhookDeliveryDetail(Delivery(delivery),
            attempts.Select(a => new WebhookAttemptResponse(a.Attempt, ApiRequest.Utc(a.AttemptedAt), a.Status, a.Error, a.DurationMs, a.Response)).ToList()));
    }

    static async Task<IResult> ResendAsync(HttpContext context, RosterDirectory directory, long deliveryId)
    {
        var caller = context.ApiCaller();
        return TypedResults.Ok(Delivery(await directory.WebhookQueue.ResendAsync(caller.Enterprise, deliveryId, caller.Actor, context.RequestAborted)));
    }

    static WebhookDeliveryResponse Delivery(WebhookDelivery d) => new(
        d.Id, d.EndpointId, d.EndpointUrl, d.EventId, d.EventType, d.EventCursor.ToString(System.Globalization.CultureInfo.InvariantCulture), d.State, d.Attempts,
        ApiRequest.Utc(d.CreatedAt), d.State == DeliveryState.Pending ? ApiRequest.Utc(d.NextAttemptAt) : null, ApiRequest.Utc(d.CompletedAt), d.LastStatus,
        d.LastError, d.LastDurationMs, d.LastResponse);
}
