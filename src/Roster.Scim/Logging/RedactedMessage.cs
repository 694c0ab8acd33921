namespace Roster.Scim.Logging;

/// <summary>A message body as the provisioning log keeps it: secrets removed, at most the cap long.</summary>
/// <param name="Truncated">The text was cut at the cap; what follows is not kept.</param>
public sealed record RedactedMessage(string Text, bool Truncated);
