using System.Globalization;

namespace Roster.Tests.Resilience;

/// <summary>The seed of a resilience test's random choices (which client does what, when a kill
/// comes): $ROSTER_RESILIENCE_SEED replays a printed one; otherwise each run takes a new one.
/// Threads and the kernel still order requests their own way, so a replay repeats the choices, not
/// every interleaving.</summary>
public static class ResilienceSeed
{
    public const string Variable = "ROSTER_RESILIENCE_SEED";

    public static int Next(ITestOutputHelper output, string test)
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        var seed = int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"{test}: seed {seed} (replay with {Variable}={seed})");
        return seed;
    }
}
