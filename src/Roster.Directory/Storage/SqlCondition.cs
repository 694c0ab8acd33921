namespace Roster.Directory.Storage;

/// <summary>A WHERE fragment with its parameters, as the filter translator produces it.</summary>
public sealed record SqlCondition(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters);
