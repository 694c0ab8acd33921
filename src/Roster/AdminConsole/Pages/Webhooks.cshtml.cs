using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Events;
using Roster.Directory.Webhooks;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/webhooks: the endpoints the enterprise's events are pushed to (add one, its secret
/// shown once; remove one), and the deliveries, newest first or the failing ones, each with its
/// attempts and a Resend button.
/// </summary>
public sealed class WebhooksModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public const int PageSize = 50;

    [FromQuery(Name = "done")] public string? Done { get; set; }
    [FromQuery(Name = "failing")] public bool FailingOnly { get; set; }
    [FromQuery(Name = "before")] public long? Before { get; set; }
    [FromQuery(Name = "delivery")] public long? Shown { get; set; }

    [BindProperty(Name = "url")] public string? EndpointUrl { get; set; }
    [BindProperty(Name = "types")] public List<string> Types { get; set; } = [];
    [BindProperty(Name = "description")] public string? Description { get; set; }

    public IReadOnlyList<WebhookEndpointStatus> Endpoints { get; private set; } = [];
    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];
    public string? OlderUrl { get; private set; }

    /// <summary>The delivery opened (?delivery=ID) and its attempts.</summary>
    public (WebhookDelivery Delivery, IReadOnlyList<WebhookAttempt> Attempts)? Opened { get; private set; }

    /// <summary>The endpoint just added, with its secret: in this response only.</summary>
    public AddedWebhookEndpoint? Added { get; private set; }

    public string? Error { get; private set; }

    public static IReadOnlyList<string> EventTypeChoices => EventTypes.All;

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            Added = await directory.Webhooks.AddAsync(Viewer!.Enterprise, EndpointUrl ?? "", Types, Description, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }
        // The secret is in this response only: no redirect could carry it, and nothing may keep the page.
        Response.Headers.CacheControl = "no-store";
        EndpointUrl = null;
        Description = null;
        Types = [];
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string slug, [FromForm(Name = "id")] string? endpointId)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            await directory.Webhooks.RemoveAsync(Viewer!.Enterprise, endpointId ?? "", Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            return await ErrorPageAsync(e);
        }
        return SeeOther(ConsoleUrls.Webhooks(Viewer.Enterprise.Slug) + "?done=removed");
    }

    public async Task<IActionResult> OnPostResendAsync(string slug, [FromForm(Name = "id")] long? deliveryId)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            if (deliveryId is null) throw new RosterException("Say which delivery to resend.");
            await directory.WebhookQueue.ResendAsync(Viewer!.Enterprise, deliveryId.Value, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            return await ErrorPageAsync(e);
        }
        return SeeOther(ConsoleUrls.Webhooks(Viewer.Enterprise.Slug) + $"?done=resent&delivery={deliveryId}");
    }

    async Task<IActionResult> ErrorPageAsync(RosterException e)
    {
        Error = e.Message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        Endpoints = await directory.Webhooks.ListAsync(enterprise, cancellationToken);
        var deliveries = await directory.WebhookQueue.ListAsync(enterprise, null, FailingOnly, PageSize + 1, Before, cancellationToken);
        Deliveries = deliveries.Take(PageSize).ToList();
        if (deliveries.Count > PageSize)
            OlderUrl = ConsoleUrls.Webhooks(enterprise.Slug) + $"?before={Deliveries[^1].Id}" + (FailingOnly ? "&failing=true" : "");
        if (Shown is { } id && await directory.WebhookQueue.GetAsync(enterprise, id, cancellationToken) is { } delivery)
            Opened = (delivery, await directory.WebhookQueue.AttemptsAsync(enterprise, id, cancellationToken));
    }

    public static string StateLabel(WebhookDelivery delivery) => delivery.State switch
    {
        DeliveryState.Delivered => "Delivered",
        DeliveryState.Failed => "Failed",
        _ when delivery.Attempts > 0 && (delivery.LastStatus is not null || delivery.LastError is not null) => "Retrying",
        _ => "Pending",
    };

    public static string StateBadge(WebhookDelivery delivery) => delivery.State switch
    {
        DeliveryState.Delivered => "badge-good",
        DeliveryState.Failed => "badge-bad",
        _ => "badge-warn",
    };
}
