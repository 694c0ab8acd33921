using System.Globalization;
using Roster.Directory;

namespace Roster.Hosting;

/// <summary>
/// How long a stopping Roster (SIGTERM from an orchestrator, Ctrl+C) waits for what is in flight:
/// it stops accepting connections at once, lets requests under way finish and webhook sends under
/// way complete and be recorded, and exits when they are done or this time is up. 25 s by default,
/// inside the 30 s an orchestrator (Kubernetes' terminationGracePeriodSeconds, docker stop) waits
/// before SIGKILL; $ROSTER_SHUTDOWN_TIMEOUT (seconds) changes it. A webhook send cut off by the
/// bound stays claimed until its lease ends, then another instance (or this one restarted) sends it.
/// </summary>
public static class GracefulShutdown
{
    public const string TimeoutVariable = "ROSTER_SHUTDOWN_TIMEOUT";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(25);

    /// <exception cref="RosterException">The variable is set to something other than 1 to 3600 seconds.</exception>
    public static TimeSpan Timeout()
    {
        var text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrWhiteSpace(text)) return DefaultTimeout;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600)
            return TimeSpan.FromSeconds(seconds);
        throw new RosterException($"${TimeoutVariable} is a whole number of seconds from 1 to 3600, not '{text}'.");
    }
}
