namespace Roster.Scim.Schema;

/// <summary>A SCIM schema (RFC 7643 §7): a URN and its attributes.</summary>
public sealed class SchemaDefinition(string id, string name, string description, IReadOnlyList<AttributeDefinition> attributes)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public string Description { get; } = description;
    public IReadOnlyList<AttributeDefinition> Attributes { get; } = attributes;

    public AttributeDefinition? FindAttribute(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase)) return attribute;
        }
        return null;
    }
}
