using System.Text;
using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>
/// A resolved attribute path (RFC 7644 §3.10 <c>attrPath = [URI ":"] ATTRNAME *1subAttr</c>), e.g.
/// <c>userName</c>, <c>name.givenName</c>, <c>emails.value</c>, <c>meta.lastModified</c> or
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber</c>.
/// Names are resolved case-insensitively against the schema, and every name this type reports is the
/// canonical one from the schema, whatever case the client wrote.
/// </summary>
/// <remarks>
/// Two kinds of path exist. A resource path (<see cref="Parent"/> is null) addresses an attribute of the
/// resource: common attributes and core-schema attributes live at the top level of the resource object,
/// extension attributes (<see cref="IsExtension"/>) under the key equal to the extension URN. A relative
/// path (<see cref="Parent"/> set) is one written inside a value filter, such as <c>type</c> in
/// <c>emails[type eq "work"]</c>: it addresses a sub-attribute of one element of <see cref="Parent"/>, and
/// <see cref="Attribute"/> is that sub-attribute's definition.
/// </remarks>
public sealed record AttributePath
{
    internal AttributePath(SchemaDefinition? schema, string? schemaUrn, bool isExtension,
        AttributeDefinition attribute, AttributeDefinition? subAttribute, AttributeDefinition? parent)
    {
        Schema = schema;
        SchemaUrn = schemaUrn;
        IsExtension = isExtension;
        Attribute = attribute;
        SubAttribute = subAttribute;
        Parent = parent;
    }

    /// <summary>The schema defining the attribute; null for the common attributes (id, externalId, meta,
    /// schemas), which belong to no schema (RFC 7643 §3.1). For a relative path, the schema of
    /// <see cref="Parent"/>.</summary>
    public SchemaDefinition? Schema { get; init; }

    /// <summary>The schema URN the client wrote before the attribute name, in its canonical spelling;
    /// null when the path was not schema-qualified.</summary>
    public string? SchemaUrn { get; init; }

    /// <summary>True when the attribute belongs to a schema extension, so its value lives under the
    /// extension URN key of the resource. For a relative path, whether <see cref="Parent"/> does.</summary>
    public bool IsExtension { get; init; }

    /// <summary>The attribute named first (for a relative path: the sub-attribute of <see cref="Parent"/>).</summary>
    public AttributeDefinition Attribute { get; init; }

    /// <summary>The sub-attribute after the dot, if any (<c>givenName</c> in <c>name.givenName</c>).</summary>
    public AttributeDefinition? SubAttribute { get; init; }

    /// <summary>For a path inside a value filter, the complex attribute whose elements it is evaluated
    /// against; null for a path from the resource root.</summary>
    public AttributeDefinition? Parent { get; init; }

    public string AttributeName => Attribute.Name;

    public string? SubAttributeName => SubAttribute?.Name;

    /// <summary>The attribute whose values the path finally denotes: the sub-attribute if there is one.</summary>
    public AttributeDefinition Target => SubAttribute ?? Attribute;

    /// <summary>Whether string comparisons on this path are case-sensitive (RFC 7643 §2.2: caseExact,
    /// false unless the schema says otherwise).</summary>
    public bool CaseExact => Target.CaseExact;

    /// <summary>True when the path can denote several values, so a comparison matches if any one does
    /// (RFC 7644 §3.4.2.2).</summary>
    public bool IsMultiValued => Attribute.MultiValued || SubAttribute is { MultiValued: true };

    /// <summary>The canonical text of the path; extension attributes are always written URN-qualified so
    /// that the text resolves to the same attribute again.</summary>
    public override string ToString()
    {
        if (Parent is null && !IsExtension && SubAttribute is null) return Attribute.Name;
        var builder = new StringBuilder();
        if (Parent is null && IsExtension && Schema is not null) builder.Append(Schema.Id).Append(':');
        builder.Append(Attribute.Name);
        if (SubAttribute is not null) builder.Append('.').Append(SubAttribute.Name);
        return builder.ToString();
    }
}
