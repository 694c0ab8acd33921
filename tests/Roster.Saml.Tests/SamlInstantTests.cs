using Roster.Saml.Responses;

namespace Roster.Saml.Tests;

/// <summary>SAML time values are UTC xs:dateTime with a Z; anything read in local time is refused.</summary>
public sealed class SamlInstantTests
{
    [Theory]
    [InlineData("2026-03-14T09:30:00Z", 0)]
    [InlineData("2026-03-14T09:30:00.123Z", 1_230_000)]
    [InlineData("2026-03-14T09:30:00.1234567Z", 1_234_567)]
    [InlineData("2026-03-14T09:30:00.123456789Z", 1_234_567)]
    public void Utc_instants_with_any_fraction_are_read(string value, long ticksAfterTheSecond)
    {
        Assert.True(SamlInstant.TryParse(value, out var instant));
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero).AddTicks(ticksAfterTheSecond), instant);
    }

    [Theory]
    [InlineData("2026-03-14T09:30:00")]
    [InlineData("2026-03-14T09:30:00+01:00")]
    [InlineData("2026-03-14 09:30:00Z")]
    [InlineData("2026-02-30T09:30:00Z")]
    [InlineData("2026-03-14T09:30:00Z\n")]
    [InlineData("２０２６-03-14T09:30:00Z")]
    [InlineData("")]
    public void Anything_else_is_refused(string value) =>
        Assert.False(SamlInstant.TryParse(value, out _));
}
