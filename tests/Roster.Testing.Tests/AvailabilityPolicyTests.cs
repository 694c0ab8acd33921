namespace Roster.Testing.Tests;

public class AvailabilityPolicyTests
{
    sealed class SkippedException(string reason) : Exception(reason);

    [Fact]
    public void On_CI_an_unavailable_PostgreSQL_fails_the_test()
    {
        var e = Assert.Throws<PostgresUnavailableException>(
            () => PostgresCluster.ReportUnavailable(PostgresCluster.NotInstalledMessage, ci: true));

        Assert.Contains("CI=true", e.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresCluster.NotInstalledMessage, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Elsewhere_an_unavailable_PostgreSQL_skips_the_test()
    {
        // The real skip is Assert.Skip, which xunit v3 reports as a skipped test whatever catches its
        // exception, so it is substituted here; `./test` with ROSTER_PG_BIN=/nonexistent shows the real thing.
        var e = Assert.Throws<SkippedException>(() => PostgresCluster.ReportUnavailable(
            PostgresCluster.NotInstalledMessage, ci: false, notices: TextWriter.Null, skip: reason => throw new SkippedException(reason)));

        Assert.Equal(PostgresCluster.NotInstalledMessage, e.Message);
    }
}
