namespace Roster.Testing.Saml;

/// <summary>A clock that says what it is told: pins "now" for validity windows, and moves only when a
/// test moves it.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
