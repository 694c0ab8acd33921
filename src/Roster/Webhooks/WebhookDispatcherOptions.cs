namespace Roster.Webhooks;

/// <summary>How the webhook dispatcher of one Roster instance works.</summary>
/// <param name="PollInterval">How often it looks for new events and due retries when idle.</param>
/// <param name="Parallelism">Deliveries sent at once by this instance.</param>
/// <param name="RequestTimeout">How long a receiver has to answer; longer is a failed attempt.</param>
/// <param name="Lease">How long a claimed delivery is this instance's: after it, another instance may
/// send it (this one having died mid-send). Longer than <paramref name="RequestTimeout"/>.</param>
public sealed record WebhookDispatcherOptions(
    TimeSpan PollInterval, int Parallelism, TimeSpan RequestTimeout, TimeSpan Lease)
{
    public static WebhookDispatcherOptions Default { get; } = new(TimeSpan.FromSeconds(1), 8, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
}
