namespace Roster.Directory;

/// <summary>A failure an operator caused and can fix (a slug that does not exist, a database that
/// cannot be reached): its message is shown to them as it is.</summary>
public class RosterException(string message, Exception? inner = null) : Exception(message, inner);
