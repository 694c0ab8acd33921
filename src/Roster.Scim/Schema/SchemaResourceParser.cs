using System.Text.Json;
using System.Text.Json.Nodes;

namespace Roster.Scim.Schema;

/// <summary>
/// Reads a SCIM Schema resource (RFC 7643 §7) that an enterprise declares as an extension of its Users
/// into a <see cref="SchemaDefinition"/>. Every refusal says where (<c>attributes[1] (badgeNumber).type</c>)
/// and what would be right: the one reading it is an admin with the file open.
/// </summary>
/// <remarks>
/// Roster accepts only what it honours for a declared attribute, so that /Schemas never promises more
/// than the server does:
/// <list type="bullet">
/// <item>The id is a URN (RFC 8141) of letters, digits and <c>. _ - :</c>, outside SCIM's own
/// namespaces: it becomes the key of the extension in every resource and the prefix of attribute paths
/// (<c>urn:…:acme:2.0:User:costCenter</c>), which filters and the SQL they turn into parse.</item>
/// <item>Attributes are readWrite or immutable. Nothing would ever fill a readOnly one (only the IdP
/// writes these), and Roster keeps no writeOnly values (it drops <c>password</c> the same way).</item>
/// <item>uniqueness is "none": Roster enforces uniqueness with unique indexes, and declared attributes
/// have none, so "server" would be a promise nobody keeps.</item>
/// <item>Sub-attributes describe the shape of a complex value (RFC 7643 §2.3.8 allows one level): simple,
/// single-valued, with required, mutability, returned and uniqueness at their defaults. The rules are
/// declared on the attribute.</item>
/// </list>
/// Member names of the Schema resource match without regard to case (RFC 7643 §2.1); the characteristic
/// words ("string", "readWrite") match exactly. Unknown members are refused: in a file written by hand,
/// "mutablity" is a typo, not an extension. <c>schemas</c> and <c>meta</c> may be present, so that what
/// /Schemas shows can be declared again as it is.
/// </remarks>
public static class SchemaResourceParser
{
    static readonly string[] SchemaMembers = ["schemas", "id", "name", "description", "attributes", "meta"];

    static readonly string[] AttributeMembers =
    [
        "name", "type", "multiValued", "description", "required", "caseExact", "canonicalValues", "referenceTypes",
        "mutability", "returned", "uniqueness", "subAttributes",
    ];

    const string UrnExample = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";

    /// <exception cref="InvalidSchemaException">The first problem found, with its location.</exception>
    public static SchemaDefinition Parse(JsonNode? json)
    {
        if (json is not JsonObject document)
            throw new InvalidSchemaException("", "A schema must be a JSON object: a SCIM Schema resource (RFC 7643 §7).");
        var members = Members(document, SchemaMembers, "");
        CheckSchemas(members.GetValueOrDefault("schemas"));
        var id = ParseUrn(members.GetValueOrDefault("id"));
        var name = OptionalString(members.GetValueOrDefault("name"), "name") ?? "";
        var description = OptionalString(members.GetValueOrDefault("description"), "description") ?? "";
        var attributes = ParseAttributes(members.GetValueOrDefault("attributes"), "attributes", topLevel: true);
        return new SchemaDefinition(id, name, description, attributes);
    }

    /// <summary>The members of <paramref name="obj"/> under their canonical names; unknown ones, and one
    /// name spelled twice ("name" and "Name"), are refused.</summary>
    static Dictionary<string, JsonNode?> Members(JsonObject obj, string[] known, string location)
    {
        var members = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            var name = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidSchemaException(Child(location, key),
                    $"unknown member; RFC 7643 §7 defines {string.Join(", ", known)}.");
            if (!members.TryAdd(name, value))
                throw new InvalidSchemaException(Child(location, key), $"'{name}' is given twice.");
        }
        return members;
    }

    static void CheckSchemas(JsonNode? schemas)
    {
        if (schemas is null) return;
        if (schemas is not JsonArray items || !items.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            throw new InvalidSchemaException("schemas", "must be an array of schema URNs.");
        if (!items.Any(i => string.Equals(i!.GetValue<string>(), ScimSchemas.SchemaUrn, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidSchemaException("schemas",
                $"a Schema resource lists \"{ScimSchemas.SchemaUrn}\"; this one does not, so it is some other kind of resource.");
    }

    static string ParseUrn(JsonNode? node)
    {
        const string where = "id";
        var urn = OptionalString(node, where)
            ?? throw new InvalidSchemaException(where, $"is required: the schema's URN, such as \"{UrnExample}\".");
        if (!urn.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            throw new InvalidSchemaException(where, $"'{urn}' is not a URN: it must start with 'urn:', as in \"{UrnExample}\".");
        if (urn.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-')) is var bad && bad != default)
            throw new InvalidSchemaException(where,
                $"'{urn}' contains '{bad}': a schema URN here is made of ASCII letters, digits and . _ - : (it starts every attribute path of the schema).");
        var segments = urn.Split(':');
        var nid = segments.Length > 1 ? segments[1] : "";
        // RFC 8141: NID = alphanum 0*30(alphanum / "-") alphanum, then ":" and a non-empty NSS.
        if (nid.Length is < 2 or > 32 || !nid.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || nid[0] == '-' || nid[^1] == '-')
            throw new InvalidSchemaException(where,
                $"'{urn}' is not a URN: after 'urn:' comes a namespace of 2 to 32 letters, digits and inner dashes (RFC 8141), as in \"{UrnExample}\".");
        if (segments.Length < 3)
            throw new InvalidSchemaException(where, $"'{urn}' is not a URN: a name follows the namespace ('urn:NAMESPACE:NAME'), as in \"{UrnExample}\".");
        if (segments.Skip(2).Any(s => s.Length == 0))
            throw new InvalidSchemaException(where, $"'{urn}' has an empty segment: every ':' must be followed by a name.");
        if (ScimSchemas.StandardUrns.FirstOrDefault(s => string.Equals(s, urn, StringComparison.OrdinalIgnoreCase)) is { } standard)
            throw new InvalidSchemaException(where, $"'{standard}' is a standard SCIM schema; declare a schema of your own URN.");
        if (ScimSchemas.ReservedUrnPrefixes.FirstOrDefault(p => urn.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } reserved)
            throw new InvalidSchemaException(where, $"'{urn}' is in '{reserved}', which SCIM reserves for its own schemas and messages.");
        return urn;
    }

    static List<AttributeDefinition> ParseAttributes(JsonNode? node, string location, bool topLevel)
    {
        var missing = topLevel
            ? "a schema declares at least one attribute, as an array of attribute objects."
            : "a complex attribute declares its sub-attributes, as a non-empty array of attribute objects.";
        if (node is null) throw new InvalidSchemaException(location, "is required: " + missing);
        if (node is not JsonArray items) throw new InvalidSchemaException(location, "must be an array of attribute objects.");
        if (items.Count == 0) throw new InvalidSchemaException(location, "is empty: " + missing);

        var attributes = new List<AttributeDefinition>();
        for (var i = 0; i < items.Count; i++)
        {
            var attribute = ParseAttribute(items[i], $"{location}[{i}]", topLevel);
            var earlier = attributes.FindIndex(a => string.Equals(a.Name, attribute.Name, StringComparison.OrdinalIgnoreCase));
            if (earlier >= 0)
                throw new InvalidSchemaException($"{location}[{i}].name",
                    $"'{attribute.Name}' is declared twice (also {location}[{earlier}]); attribute names are compared without regard to case.");
            attributes.Add(attribute);
        }
        return attributes;
    }

    static AttributeDefinition ParseAttribute(JsonNode? node, string location, bool topLevel)
    {
        if (node is not JsonObject obj) throw new InvalidSchemaException(location, "must be an attribute object.");
        var members = Members(obj, AttributeMembers, location);

        var name = OptionalString(members.GetValueOrDefault("name"), location + ".name")
            ?? throw new InvalidSchemaException(location + ".name", "is required.");
        var isRef = !topLevel && name == "$ref";
        if (!isRef && !IsAttributeName(name))
            throw new InvalidSchemaException(location + ".name",
                $"'{name}' is not an attribute name: RFC 7643 §2.1 allows an ASCII letter followed by letters, digits, '-' and '_'.");
        // From here on the location names the attribute too, which is what an admin searches the file for.
        var at = $"{location} ({name})";

        var type = Word(members.GetValueOrDefault("type"), at + ".type", SchemaVocabulary.Types, AttributeType.String);
        if (type == AttributeType.Complex && !topLevel)
            throw new InvalidSchemaException(at + ".type", "a sub-attribute cannot be complex: SCIM nests complex attributes one level deep (RFC 7643 §2.3.8).");
        if (isRef && type != AttributeType.Reference)
            throw new InvalidSchemaException(at + ".type", "'$ref' is the name of a reference sub-attribute; declare it with type \"reference\".");

        var multiValued = Flag(members.GetValueOrDefault("multiValued"), at + ".multiValued");
        var required = Flag(members.GetValueOrDefault("required"), at + ".required");
        var mutability = Word(members.GetValueOrDefault("mutability"), at + ".mutability", SchemaVocabulary.Mutabilities, Mutability.ReadWrite);
        var returned = Word(members.GetValueOrDefault("returned"), at + ".returned", SchemaVocabulary.Returns, Returned.Default);
        var uniqueness = Word(members.GetValueOrDefault("uniqueness"), at + ".uniqueness", SchemaVocabulary.Uniquenesses, Uniqueness.None);

        if (!topLevel)
        {
            const string why = "sub-attributes describe the shape of a value, and Roster applies the rules of the attribute they belong to; declare it there.";
            if (multiValued) throw new InvalidSchemaException(at + ".multiValued", "a sub-attribute is single-valued; make the attribute multi-valued instead.");
            if (required) throw new InvalidSchemaException(at + ".required", "must be false: " + why);
            if (mutability != Mutability.ReadWrite) throw new InvalidSchemaException(at + ".mutability", "must be \"readWrite\": " + why);
            if (returned != Returned.Default) throw new InvalidSchemaException(at + ".returned", "must be \"default\": " + why);
        }
        switch (mutability)
        {
            case Mutability.ReadOnly:
                throw new InvalidSchemaException(at + ".mutability",
                    "\"readOnly\" would never have a value: clients cannot write it and Roster computes none. Use \"readWrite\" or \"immutable\".");
            case Mutability.WriteOnly:
                throw new InvalidSchemaException(at + ".mutability",
                    "\"writeOnly\" values are never kept by Roster (as with password). Use \"readWrite\" or \"immutable\".");
        }
        if (uniqueness != Uniqueness.None)
            throw new InvalidSchemaException(at + ".uniqueness",
                $"\"{SchemaVocabulary.NameOf(uniqueness)}\" is not enforced for declared attributes, so it cannot be promised; use \"none\".");

        var canonicalValues = Strings(members.GetValueOrDefault("canonicalValues"), at + ".canonicalValues");
        if (canonicalValues.Count > 0 && type is not (AttributeType.String or AttributeType.Reference))
            throw new InvalidSchemaException(at + ".canonicalValues", $"canonical values are strings; a {SchemaVocabulary.NameOf(type)} attribute has none.");
        var referenceTypes = Strings(members.GetValueOrDefault("referenceTypes"), at + ".referenceTypes");
        if (referenceTypes.Count > 0 && type != AttributeType.Reference)
            throw new InvalidSchemaException(at + ".referenceTypes", "only a reference attribute has reference types; declare type \"reference\" or leave them out.");

        var subNode = members.GetValueOrDefault("subAttributes");
        IReadOnlyList<AttributeDefinition> subAttributes = [];
        if (type == AttributeType.Complex)
            subAttributes = ParseAttributes(subNode, at + ".subAttributes", topLevel: false);
        else if (subNode is not null && !(subNode is JsonArray { Count: 0 }))
            throw new InvalidSchemaException(at + ".subAttributes", $"only a complex attribute has sub-attributes; this one is a {SchemaVocabulary.NameOf(type)}.");

        return new AttributeDefinition
        {
            Name = name,
            Type = type,
            MultiValued = multiValued,
            Description = OptionalString(members.GetValueOrDefault("description"), at + ".description") ?? "",
            Required = required,
            CaseExact = Flag(members.GetValueOrDefault("caseExact"), at + ".caseExact"),
            Mutability = mutability,
            Returned = returned,
            Uniqueness = uniqueness,
            CanonicalValues = canonicalValues,
            ReferenceTypes = referenceTypes,
            SubAttributes = subAttributes,
        };
    }

    /// <summary>RFC 7643 §2.1: <c>ATTRNAME = ALPHA *(nameChar)</c>, <c>nameChar = "-" / "_" / DIGIT / ALPHA</c>.</summary>
    static bool IsAttributeName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    static string? OptionalString(JsonNode? node, string location) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new InvalidSchemaException(location, $"must be a string, not {node.ToJsonString()}."),
    };

    static bool Flag(JsonNode? node, string location) => node switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new InvalidSchemaException(location, $"must be true or false, not {node.ToJsonString()}."),
    };

    static T Word<T>(JsonNode? node, string location, IReadOnlyList<(T Value, string Name)> vocabulary, T absent)
    {
        var word = OptionalString(node, location);
        if (word is null) return absent;
        return SchemaVocabulary.TryParse(vocabulary, word, out var value)
            ? value
            : throw new InvalidSchemaException(location, $"\"{word}\" is not one of {SchemaVocabulary.List(vocabulary)}.");
    }

    static List<string> Strings(JsonNode? node, string location)
    {
        if (node is null) return [];
        if (node is not JsonArray items || !items.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0))
            throw new InvalidSchemaException(location, "must be an array of non-empty strings.");
        return items.Select(i => i!.GetValue<string>()).ToList();
    }

    static string Child(string location, string member) => location.Length == 0 ? member : $"{location}.{member}";
}
