using Roster.Directory.Webhooks;
using Roster.Operations;
using Roster.Directory;

namespace Roster.Webhooks;

/// <summary>
/// Each Roster instance's webhook worker: queues new events as deliveries, claims the due ones and
/// sends them, a few at a time, apart from every request (a slow or failing endpoint delays only its
/// own deliveries). The state is all in the database (<see cref="WebhookQueue"/>), so deliveries
/// resume after a restart and several instances share the work, each delivery sent by one of them.
/// On shutdown it stops claiming and lets the sends in flight finish (each bounded by its timeout).
/// It stops claiming as soon as the application is stopping (SIGTERM), not only when its own turn to
/// stop comes after the server has drained its requests: what those requests change is delivered by
/// the next instance to run, and the process exits without starting new sends.
/// </summary>
public sealed class WebhookDispatcher(RosterDirectory directory, WebhookDispatcherOptions options, RosterTelemetry telemetry, ILogger<WebhookDispatcher> logger,
    IHostApplicationLifetime lifetime)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken serviceStopping)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(serviceStopping, lifetime.ApplicationStopping);
        var stoppingToken = stopping.Token;
        using var sender = new WebhookSender(options.RequestTimeout, directory.Clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await directory.WebhookQueue.QueueAsync(cancellationToken: stoppingToken);
                var claimed = await directory.WebhookQueue.ClaimAsync(options.Parallelism * 4, options.Lease, stoppingToken);
                busy = claimed.Count > 0;
                // The sends are not cancelled by shutdown: a delivery begun is finished and recorded.
                await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism },
                    async (delivery, _) => await DeliverAsync(sender, delivery));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database was unreachable, most likely: try again at the next tick.
                logger.LogWarning("Webhook dispatch failed and will be retried: {Error}", e.Message);
            }
            if (!busy)
            {
                try
                {
                    await Task.Delay(options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    async Task DeliverAsync(WebhookSender sender, ClaimedDelivery delivery)
    {
        var outcome = await sender.SendAsync(delivery, CancellationToken.None);
        var state = await directory.WebhookQueue.CompleteAsync(delivery, outcome, Random.Shared.NextDouble());
        telemetry.WebhookDelivered(state switch
        {
            DeliveryState.Delivered => "delivered",
            DeliveryState.Failed => "gave-up",
            _ => "will-retry",
        }, outcome.Duration);
        // Lag: from the change to the product having it (or to this failed try).
        if (state == DeliveryState.Delivered) telemetry.WebhookLag(directory.Clock.GetUtcNow() - delivery.EventOccurredAt);
        if (state != DeliveryState.Delivered)
        {
            // The URL and the error, never the body or the secret.
            logger.LogInformation("Webhook delivery {Delivery} of {EventType} to endpoint {Endpoint}: attempt {Attempt} failed ({Error}); {State}",
                delivery.Id, delivery.EventType, delivery.EndpointId, delivery.Attempt, outcome.Error, state);
        }
    }
}
