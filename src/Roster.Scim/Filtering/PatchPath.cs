using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>
/// The target of a PATCH operation (RFC 7644 §3.5.2 <c>PATH = attrPath / valuePath [subAttr]</c>):
/// <list type="bullet">
/// <item><c>userName</c>, <c>name.givenName</c>, <c>urn:…:enterprise:2.0:User:manager</c>: only <see cref="Attribute"/>;</item>
/// <item><c>members[value eq "u1"]</c>: <see cref="Attribute"/> and <see cref="ValueFilter"/>;</item>
/// <item><c>emails[type eq "work"].value</c>: all three.</item>
/// </list>
/// </summary>
/// <param name="Attribute">The attribute addressed. When <see cref="ValueFilter"/> is set it names a
/// multi-valued complex attribute and has no sub-attribute of its own.</param>
/// <param name="ValueFilter">Selects the elements of the attribute the operation applies to; its paths are
/// relative to an element.</param>
/// <param name="SubAttribute">The sub-attribute of the selected elements, written after the filter.</param>
public sealed record PatchPath(AttributePath Attribute, ScimFilter? ValueFilter, AttributeDefinition? SubAttribute)
{
    /// <summary>The definition of what the path finally denotes.</summary>
    public AttributeDefinition Target => SubAttribute ?? Attribute.Target;

    public override string ToString() =>
        ValueFilter is null ? Attribute.ToString()
        : SubAttribute is null ? $"{Attribute}[{ValueFilter}]"
        : $"{Attribute}[{ValueFilter}].{SubAttribute.Name}";
}
