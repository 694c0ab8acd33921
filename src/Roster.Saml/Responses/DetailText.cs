namespace Roster.Saml.Responses;

/// <summary>Puts a value from the message into a rejection detail: quoted, and cut short, because the
/// message is attacker-controlled and details go to logs.</summary>
internal static class DetailText
{
    private const int MaxLength = 120;

    public static string Quote(string? value) => value switch
    {
        null => "(none)",
        { Length: > MaxLength } => $"\"{value[..MaxLength]}…\"",
        _ => $"\"{value}\"",
    };
}
