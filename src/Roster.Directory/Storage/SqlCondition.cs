namespace Roster.Directory.Storage;

/// <summary>A WHERE fragment with its parameters, as the filter translators produce it.</summary>
public sealed record SqlCondition(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters)
{
    /// <summary>The parameter that names the enterprise in every listing query of members and
    /// groups; a condition may use it too (every query is scoped to one enterprise).</summary>
    public const string EnterpriseParameter = "@e";

    /// <summary>Whether one query plan suits the condition whatever its values: an equality on a
    /// unique key (an IdP's <c>userName eq</c> lookup, <c>id eq</c>). A listing then prepares its
    /// statements (<see cref="SqlCommands.PreparedCommand"/>); any other condition is planned for
    /// its values each time.</summary>
    public bool OnePlan { get; init; }
}
