namespace Roster.Saml.Tests.Support;

/// <summary>A clock that always says the same instant, so times in messages can be asserted exactly.</summary>
public sealed class PinnedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2026, 11, 28, 21, 40, 17, TimeSpan.Zero);

    public PinnedClock() : this(Default) { }

    public DateTimeOffset Now { get; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
