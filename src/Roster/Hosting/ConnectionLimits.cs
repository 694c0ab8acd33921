using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Roster.Hosting;

/// <summary>
/// How long Kestrel waits for a slow or stalled client (docs/limits.md). A client that stops sending
/// in the middle of its headers or body must not hold a connection and a request forever: the
/// headers must arrive within <see cref="HeadersTimeout"/>, and the body at <see cref="MinBodyBytesPerSecond"/>
/// or faster once <see cref="BodyGracePeriod"/> has passed (a refused body is answered 408, or the connection is closed).
/// </summary>
internal static class ConnectionLimits
{
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);
    public const double MinBodyBytesPerSecond = 240;
    public static readonly TimeSpan BodyGracePeriod = TimeSpan.FromSeconds(5);

    public static void Apply(KestrelServerLimits limits)
    {
        limits.RequestHeadersTimeout = HeadersTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(MinBodyBytesPerSecond, BodyGracePeriod);
    }
}
