using System.Text.Json.Nodes;
using Roster.Scim.Schema;

namespace Roster.Scim.Discovery;

/// <summary>
/// Writes a <see cref="SchemaDefinition"/> as a SCIM Schema resource (RFC 7643 §7): what /Schemas
/// serves, what `roster schema` prints, and what the store keeps of a declared schema. Its output
/// parses back with <see cref="SchemaResourceParser"/> to the same definition.
/// </summary>
public static class SchemaResourceWriter
{
    /// <summary>The Schema resource with its <c>meta</c>, located under <paramref name="baseUrl"/>.</summary>
    public static JsonObject Write(SchemaDefinition schema, string baseUrl)
    {
        var resource = Write(schema);
        resource["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = baseUrl + "/Schemas/" + schema.Id };
        return resource;
    }

    /// <summary>The Schema resource without <c>meta</c>, which depends on where it is served.</summary>
    public static JsonObject Write(SchemaDefinition schema)
    {
        var attributes = new JsonArray();
        foreach (var attribute in schema.Attributes) attributes.Add(Attribute(attribute));
        var resource = new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create(ScimSchemas.SchemaUrn)),
            ["id"] = schema.Id,
        };
        // Both are optional (RFC 7643 §7); a declared schema may leave them out, and "" says nothing.
        if (schema.Name.Length > 0) resource["name"] = schema.Name;
        if (schema.Description.Length > 0) resource["description"] = schema.Description;
        resource["attributes"] = attributes;
        return resource;
    }

    static JsonObject Attribute(AttributeDefinition attribute)
    {
        var node = new JsonObject
        {
            ["name"] = attribute.Name,
            ["type"] = SchemaVocabulary.NameOf(attribute.Type),
            ["multiValued"] = attribute.MultiValued,
            ["description"] = attribute.Description,
            ["required"] = attribute.Required,
        };
        if (attribute.Type is AttributeType.String or AttributeType.Reference or AttributeType.Binary)
            node["caseExact"] = attribute.CaseExact;
        if (attribute.CanonicalValues.Count > 0)
            node["canonicalValues"] = new JsonArray(attribute.CanonicalValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        if (attribute.Type == AttributeType.Reference)
            node["referenceTypes"] = new JsonArray(attribute.ReferenceTypes.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        node["mutability"] = SchemaVocabulary.NameOf(attribute.Mutability);
        node["returned"] = SchemaVocabulary.NameOf(attribute.Returned);
        node["uniqueness"] = SchemaVocabulary.NameOf(attribute.Uniqueness);
        if (attribute.SubAttributes.Count > 0)
        {
            var subs = new JsonArray();
            foreach (var sub in attribute.SubAttributes) subs.Add(Attribute(sub));
            node["subAttributes"] = subs;
        }
        return node;
    }
}
