namespace Roster.Scim.Schema;

public sealed record SchemaExtension(SchemaDefinition Schema, bool Required);

/// <summary>A SCIM resource type (RFC 7643 §6): its endpoint, core schema and extensions.</summary>
public sealed class ResourceTypeDefinition(string name, string endpoint, string description, SchemaDefinition schema, IReadOnlyList<SchemaExtension> extensions)
{
    public string Name { get; } = name;
    public string Endpoint { get; } = endpoint;
    public string Description { get; } = description;
    public SchemaDefinition Schema { get; } = schema;
    public IReadOnlyList<SchemaExtension> Extensions { get; } = extensions;

    public IEnumerable<SchemaDefinition> AllSchemas
    {
        get
        {
            yield return Schema;
            foreach (var extension in Extensions) yield return extension.Schema;
        }
    }

    /// <summary>The extension whose URN is <paramref name="urn"/>, compared case-insensitively.</summary>
    public SchemaDefinition? FindExtension(string urn)
    {
        foreach (var extension in Extensions)
        {
            if (string.Equals(extension.Schema.Id, urn, StringComparison.OrdinalIgnoreCase)) return extension.Schema;
        }
        return null;
    }

    public bool IsKnownSchema(string urn) =>
        string.Equals(Schema.Id, urn, StringComparison.OrdinalIgnoreCase) || FindExtension(urn) is not null;
}
