namespace Roster.Testing;

/// <summary>A clock that stands still until a test moves it: expiry is tested by moving time, never by
/// waiting for it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    readonly Lock gate = new();
    DateTimeOffset now = start;

    public ManualClock() : this(new DateTimeOffset(2030, 1, 15, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return now;
    }

    public void Advance(TimeSpan by)
    {
        lock (gate) now += by;
    }
}
