namespace Roster.Operations;

/// <summary>How <c>roster serve</c> writes its log to standard output.</summary>
public enum LogFormat
{
    /// <summary>One line of text per entry, for a person at a terminal.</summary>
    Text,

    /// <summary>One JSON object per line, for a log collector.</summary>
    Json,
}
