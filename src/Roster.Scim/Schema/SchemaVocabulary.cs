namespace Roster.Scim.Schema;

/// <summary>
/// The words RFC 7643 §7 uses for attribute characteristics, both ways: what /Schemas writes and what a
/// declared schema may say. One table, so the parser accepts exactly what the writer produces.
/// </summary>
public static class SchemaVocabulary
{
    public static readonly IReadOnlyList<(AttributeType Value, string Name)> Types =
    [
        (AttributeType.String, "string"), (AttributeType.Boolean, "boolean"), (AttributeType.Decimal, "decimal"),
        (AttributeType.Integer, "integer"), (AttributeType.DateTime, "dateTime"), (AttributeType.Reference, "reference"),
        (AttributeType.Binary, "binary"), (AttributeType.Complex, "complex"),
    ];

    public static readonly IReadOnlyList<(Mutability Value, string Name)> Mutabilities =
    [
        (Mutability.ReadOnly, "readOnly"), (Mutability.ReadWrite, "readWrite"), (Mutability.Immutable, "immutable"),
        (Mutability.WriteOnly, "writeOnly"),
    ];

    public static readonly IReadOnlyList<(Returned Value, string Name)> Returns =
    [
        (Returned.Always, "always"), (Returned.Never, "never"), (Returned.Default, "default"), (Returned.Request, "request"),
    ];

    public static readonly IReadOnlyList<(Uniqueness Value, string Name)> Uniquenesses =
    [
        (Uniqueness.None, "none"), (Uniqueness.Server, "server"), (Uniqueness.Global, "global"),
    ];

    public static string NameOf(AttributeType value) => Types.First(t => t.Value == value).Name;
    public static string NameOf(Mutability value) => Mutabilities.First(t => t.Value == value).Name;
    public static string NameOf(Returned value) => Returns.First(t => t.Value == value).Name;
    public static string NameOf(Uniqueness value) => Uniquenesses.First(t => t.Value == value).Name;

    /// <summary>The value a word names, compared exactly: the RFC's words are case-sensitive JSON
    /// strings, and a schema that says "String" is more likely a typo elsewhere too.</summary>
    public static bool TryParse<T>(IReadOnlyList<(T Value, string Name)> vocabulary, string word, out T value)
    {
        foreach (var (candidate, name) in vocabulary)
        {
            if (string.Equals(name, word, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>"a, b or c", for error messages.</summary>
    public static string List<T>(IReadOnlyList<(T Value, string Name)> vocabulary) =>
        string.Join(", ", vocabulary.Take(vocabulary.Count - 1).Select(v => v.Name)) + " or " + vocabulary[^1].Name;
}
