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

    /// <summary>
    /// This resource type with <paramref name="schemas"/> added as optional extensions (RFC 7643 §6:
    /// <c>required: false</c>, so a resource may leave them out), after the extensions it has.
    /// </summary>
    /// <exception cref="InvalidSchemaException">A URN that is already one of the resource type's schemas,
    /// or that is another's URN followed by ':' (or the other way round): attribute paths start with the
    /// URN, so <c>urn:x:a:b</c> would be both schema <c>urn:x:a:b</c> and attribute <c>b</c> of <c>urn:x:a</c>.</exception>
    public ResourceTypeDefinition WithOptionalExtensions(IEnumerable<SchemaDefinition> schemas)
    {
        var extensions = Extensions.ToList();
        var all = AllSchemas.ToList();
        foreach (var schema in schemas)
        {
            foreach (var existing in all)
            {
                if (string.Equals(existing.Id, schema.Id, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidSchemaException("id", $"'{schema.Id}' is already a schema of resource type {Name}.");
                if (Extends(schema.Id, existing.Id) || Extends(existing.Id, schema.Id))
                    throw new InvalidSchemaException("id",
                        $"'{schema.Id}' and '{existing.Id}' of resource type {Name} would make attribute paths ambiguous: one is the other followed by ':'.");
            }
            extensions.Add(new SchemaExtension(schema, Required: false));
            all.Add(schema);
        }
        return new ResourceTypeDefinition(Name, Endpoint, Description, Schema, extensions);
    }

    static bool Extends(string urn, string prefix) =>
        urn.Length > prefix.Length && urn[prefix.Length] == ':' && urn.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
