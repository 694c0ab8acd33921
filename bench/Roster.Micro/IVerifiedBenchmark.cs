namespace Roster.Micro;

/// <summary>
/// A benchmark that can say whether what it measures still does the right thing: <see cref="Verify"/>
/// runs each of its benchmark methods once (after the global setup) and throws when a result is wrong.
/// A benchmark of code that silently stopped working would report a fine, meaningless figure; CI runs
/// every <see cref="Verify"/> (tests/Roster.Micro.Tests, and <c>roster-micro --dry</c>) so the suite cannot rot.
/// </summary>
public interface IVerifiedBenchmark
{
    void Verify();
}

static class Check
{
    public static void That(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException($"Benchmark result is wrong: {what}");
    }
}
