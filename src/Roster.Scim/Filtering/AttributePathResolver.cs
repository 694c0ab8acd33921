using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>
/// Turns the text of an attribute path into an <see cref="AttributePath"/> bound to the resource type's
/// schemas. Shared by the filter grammar and the PATCH path grammar; they differ only in the kind of error
/// they raise (invalidFilter or invalidPath), which the caller supplies.
/// </summary>
internal static class AttributePathResolver
{
    /// <summary>
    /// Resolves a path written from the resource root. A schema-qualified path starts with the longest
    /// schema id of the resource type that is followed by ':' (URNs themselves contain ':' and '.', e.g.
    /// "2.0", so splitting on the last ':' would be wrong for dotted paths). An unqualified name is looked
    /// up in the common attributes, then the core schema, then each extension in order: Entra writes the
    /// enterprise <c>manager</c> unqualified.
    /// </summary>
    public static AttributePath Resolve(string text, int position, ResourceTypeDefinition type, Func<string, ScimException> error)
    {
        SchemaDefinition? qualifier = null;
        var rest = text;
        if (text.Contains(':'))
        {
            foreach (var schema in type.AllSchemas)
            {
                var id = schema.Id;
                if (text.Length > id.Length && text[id.Length] == ':'
                    && text.StartsWith(id, StringComparison.OrdinalIgnoreCase)
                    && (qualifier is null || id.Length > qualifier.Id.Length))
                {
                    qualifier = schema;
                }
            }
            if (qualifier is null)
            {
                throw error($"Unknown attribute '{text}' at position {position}: it does not start with a schema URN of resource type '{type.Name}'");
            }
            rest = text[(qualifier.Id.Length + 1)..];
        }

        var dot = rest.IndexOf('.');
        var attributeName = dot < 0 ? rest : rest[..dot];
        var subAttributeName = dot < 0 ? null : rest[(dot + 1)..];
        if (attributeName.Length == 0)
        {
            throw error($"Missing attribute name in '{text}' at position {position}");
        }
        if (subAttributeName is not null && subAttributeName.Contains('.'))
        {
            throw error($"Attribute path '{text}' at position {position} has more than one sub-attribute; SCIM paths are attribute[.subAttribute]");
        }

        SchemaDefinition? owner;
        AttributeDefinition? attribute;
        if (qualifier is not null)
        {
            owner = qualifier;
            attribute = qualifier.FindAttribute(attributeName);
            // Common attributes belong to no schema, but a client may still qualify them with the core URN.
            if (attribute is null && ReferenceEquals(qualifier, type.Schema))
            {
                attribute = FindCommonAttribute(attributeName);
                if (attribute is not null) owner = null;
            }
        }
        else
        {
            owner = null;
            attribute = FindCommonAttribute(attributeName);
            if (attribute is null)
            {
                foreach (var schema in type.AllSchemas)
                {
                    attribute = schema.FindAttribute(attributeName);
                    if (attribute is not null) { owner = schema; break; }
                }
            }
        }
        if (attribute is null)
        {
            throw error(qualifier is null
                ? $"Unknown attribute '{attributeName}' at position {position}: resource type '{type.Name}' has no such attribute"
                : $"Unknown attribute '{attributeName}' at position {position}: schema '{qualifier.Id}' has no such attribute");
        }

        AttributeDefinition? subAttribute = null;
        if (subAttributeName is not null)
        {
            subAttribute = ResolveSubAttribute(attribute, subAttributeName, position + text.Length - subAttributeName.Length, error);
        }

        var isExtension = owner is not null && !ReferenceEquals(owner, type.Schema);
        return new AttributePath(owner, qualifier?.Id, isExtension, attribute, subAttribute, parent: null);
    }

    /// <summary>
    /// Resolves a name written inside a value filter (<c>type</c> in <c>emails[type eq "work"]</c>): a bare
    /// sub-attribute name of <paramref name="parent"/>. Dotted or qualified names are refused, since the
    /// RFC grammar only allows the element's own sub-attributes here.
    /// </summary>
    public static AttributePath ResolveRelative(string text, int position, AttributePath parent, Func<string, ScimException> error)
    {
        if (text.Contains('.') || text.Contains(':'))
        {
            throw error($"Expected a sub-attribute of '{parent.Attribute.Name}' at position {position}, got '{text}'");
        }
        var subAttribute = ResolveSubAttribute(parent.Attribute, text, position, error);
        return new AttributePath(parent.Schema, schemaUrn: null, parent.IsExtension, subAttribute, subAttribute: null, parent.Attribute);
    }

    public static AttributeDefinition ResolveSubAttribute(AttributeDefinition attribute, string name, int position, Func<string, ScimException> error)
    {
        if (!attribute.IsComplex)
        {
            throw error($"Attribute '{attribute.Name}' has no sub-attributes, so '{attribute.Name}.{name}' at position {position} is not a valid path");
        }
        if (name.Length == 0)
        {
            throw error($"Missing sub-attribute name after '{attribute.Name}.' at position {position}");
        }
        return attribute.FindSubAttribute(name)
            ?? throw error($"Unknown sub-attribute '{name}' of '{attribute.Name}' at position {position}");
    }

    static AttributeDefinition? FindCommonAttribute(string name) =>
        ScimSchemas.FindCommonAttribute(name)
        ?? (string.Equals(name, ScimSchemas.SchemasAttribute.Name, StringComparison.OrdinalIgnoreCase) ? ScimSchemas.SchemasAttribute : null);
}
