using System.Globalization;

namespace Roster.Tests.Hostile;

/// <summary>
/// The seed and size of a fuzzing run. CI runs the fixed default seed, so a run is repeatable; a
/// failure names its seed and case number, and <c>ROSTER_FUZZ_SEED=N</c> replays it.
/// <c>ROSTER_FUZZ_CASES=N</c> multiplies every test's case count by N (a longer hunt on a workstation).
/// </summary>
public sealed record FuzzSettings(int Seed, int Multiplier)
{
    public const int DefaultSeed = 20261129;

    public static FuzzSettings FromEnvironment() => new(
        Read("ROSTER_FUZZ_SEED") ?? DefaultSeed,
        Math.Max(1, Read("ROSTER_FUZZ_CASES") ?? 1));

    public int Cases(int baseCount) => baseCount * Multiplier;

    /// <summary>Writes the seed to the test's output, where a failure's log shows it.</summary>
    public void Announce(string test, int cases) =>
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{test}: seed {Seed} ({cases} cases); replay with ROSTER_FUZZ_SEED={Seed}, enlarge with ROSTER_FUZZ_CASES=N");

    static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
