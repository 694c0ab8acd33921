using System.Text.Json.Nodes;
using Roster.Scim.Discovery;
using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim.Tests.Schema;

/// <summary>Declared schemas (RFC 7643 §7): what is accepted, and where each refusal points.</summary>
public sealed class SchemaResourceParserTests
{
    public const string AcmeUrn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";

    /// <summary>The schema of the issue: a cost center and a badge number, and one of each other shape.</summary>
    public const string Acme = """
        {
          "id": "urn:ietf:params:scim:schemas:extension:acme:2.0:User",
          "name": "AcmeUser",
          "description": "What Acme keeps about its people",
          "attributes": [
            {"name": "costCenter", "type": "string", "description": "Finance's cost center"},
            {"name": "badgeNumber", "type": "integer", "mutability": "immutable"},
            {"name": "badgeCode", "caseExact": true, "returned": "never"},
            {"name": "hourlyRate", "type": "decimal", "returned": "request"},
            {"name": "contractor", "type": "boolean", "returned": "always"},
            {"name": "startedOn", "type": "dateTime"},
            {"name": "homepage", "type": "reference", "referenceTypes": ["external"]},
            {"name": "skills", "multiValued": true, "canonicalValues": ["sql", "c#"]},
            {"name": "desk", "type": "complex", "subAttributes": [
              {"name": "building"}, {"name": "floor", "type": "integer"}, {"name": "$ref", "type": "reference", "referenceTypes": ["external"]}
            ]},
            {"name": "pets", "type": "complex", "multiValued": true, "subAttributes": [{"name": "value"}, {"name": "type"}]}
          ]
        }
        """;

    static SchemaDefinition Parse(string json) => SchemaResourceParser.Parse(JsonNode.Parse(json));

    [Fact]
    public void A_schema_resource_becomes_a_definition_with_the_rfc_defaults()
    {
        var schema = Parse(Acme);

        Assert.Equal(AcmeUrn, schema.Id);
        Assert.Equal("AcmeUser", schema.Name);
        Assert.Equal("What Acme keeps about its people", schema.Description);
        Assert.Equal(10, schema.Attributes.Count);
        var costCenter = schema.FindAttribute("COSTCENTER")!;
        Assert.Equal(AttributeType.String, costCenter.Type);
        Assert.Equal("Finance's cost center", costCenter.Description);
        // RFC 7643 §2.2: what a schema leaves out.
        Assert.False(costCenter.MultiValued);
        Assert.False(costCenter.Required);
        Assert.False(costCenter.CaseExact);
        Assert.Equal(Mutability.ReadWrite, costCenter.Mutability);
        Assert.Equal(Returned.Default, costCenter.Returned);
        Assert.Equal(Uniqueness.None, costCenter.Uniqueness);

        Assert.Equal(AttributeType.Integer, schema.FindAttribute("badgeNumber")!.Type);
        Assert.Equal(Mutability.Immutable, schema.FindAttribute("badgeNumber")!.Mutability);
        Assert.True(schema.FindAttribute("badgeCode")!.CaseExact);
        Assert.Equal(AttributeType.String, schema.FindAttribute("badgeCode")!.Type);
        Assert.Equal(Returned.Never, schema.FindAttribute("badgeCode")!.Returned);
        Assert.Equal(Returned.Request, schema.FindAttribute("hourlyRate")!.Returned);
        Assert.Equal(Returned.Always, schema.FindAttribute("contractor")!.Returned);
        Assert.Equal(["external"], schema.FindAttribute("homepage")!.ReferenceTypes);
        Assert.Equal(["sql", "c#"], schema.FindAttribute("skills")!.CanonicalValues);
        Assert.True(schema.FindAttribute("skills")!.MultiValued);
        var desk = schema.FindAttribute("desk")!;
        Assert.True(desk.IsComplex);
        Assert.Equal(AttributeType.Integer, desk.FindSubAttribute("floor")!.Type);
        Assert.Equal(AttributeType.Reference, desk.FindSubAttribute("$ref")!.Type);
    }

    [Fact]
    public void What_the_writer_writes_parses_back_to_the_same_schema()
    {
        var schema = Parse(Acme);
        var written = SchemaResourceWriter.Write(schema);
        Assert.True(JsonNode.DeepEquals(written, SchemaResourceWriter.Write(SchemaResourceParser.Parse(written))), written.ToJsonString());

        // /Schemas shows it with schemas and meta: an admin may declare that again as it is.
        var served = SchemaResourceWriter.Write(schema, "https://roster.example/scim/v2/acme");
        Assert.Equal("https://roster.example/scim/v2/acme/Schemas/" + AcmeUrn, served["meta"]!["location"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(written, SchemaResourceWriter.Write(SchemaResourceParser.Parse(served))));
    }

    [Fact]
    public void Member_names_match_without_regard_to_case_and_name_and_description_are_optional()
    {
        var schema = Parse("""{"ID":"urn:example:acme:User","Attributes":[{"NAME":"costCenter","Type":"string","MultiValued":false}]}""");
        Assert.Equal("urn:example:acme:User", schema.Id);
        Assert.Equal("", schema.Name);
        Assert.Equal("costCenter", Assert.Single(schema.Attributes).Name);
        var written = SchemaResourceWriter.Write(schema);
        Assert.False(written.ContainsKey("name"));
        Assert.False(written.ContainsKey("description"));
    }

    const string Urn = "\"id\":\"urn:example:acme:User\"";

    /// <summary>A schema with one attribute, given as the attribute's members.</summary>
    static string With(string attribute) => Doc(""","attributes":[{""" + attribute + "}]");

    /// <summary>A schema with the URN and then the given members.</summary>
    static string Doc(string members) => "{" + Urn + members + "}";

    public static TheoryData<string, string, string> Refusals() => new()
    {
        // the document
        { "[]", "", "must be a JSON object" },
        { """{"attributes":[{"name":"a"}]}""", "id", "is required" },
        { """{"id":42,"attributes":[{"name":"a"}]}""", "id", "must be a string" },
        { """{"id":"acme:User","attributes":[{"name":"a"}]}""", "id", "must start with 'urn:'" },
        { """{"id":"urn:acme","attributes":[{"name":"a"}]}""", "id", "a name follows the namespace" },
        { """{"id":"urn:a:User","attributes":[{"name":"a"}]}""", "id", "2 to 32 letters" },
        { """{"id":"urn:-acme:User","attributes":[{"name":"a"}]}""", "id", "2 to 32 letters" },
        { """{"id":"urn:acme:scim:User Profile","attributes":[{"name":"a"}]}""", "id", "contains ' '" },
        { """{"id":"urn:acme:scim:User/Profile","attributes":[{"name":"a"}]}""", "id", "contains '/'" },
        { """{"id":"urn:acme:scim::User","attributes":[{"name":"a"}]}""", "id", "empty segment" },
        { """{"id":"urn:acme:scim:User:","attributes":[{"name":"a"}]}""", "id", "empty segment" },
        { """{"id":"urn:ietf:params:scim:schemas:core:2.0:User","attributes":[{"name":"a"}]}""", "id", "is a standard SCIM schema" },
        { """{"id":"URN:IETF:params:scim:schemas:extension:enterprise:2.0:user","attributes":[{"name":"a"}]}""", "id", "is a standard SCIM schema" },
        { """{"id":"urn:ietf:params:scim:schemas:core:2.0:Device","attributes":[{"name":"a"}]}""", "id", "SCIM reserves" },
        { """{"id":"urn:ietf:params:scim:api:messages:2.0:Acme","attributes":[{"name":"a"}]}""", "id", "SCIM reserves" },
        { Doc(""), "attributes", "is required" },
        { Doc(""","attributes":[]"""), "attributes", "is empty" },
        { Doc(""","attributes":{"name":"a"}"""), "attributes", "must be an array" },
        { Doc(""","attributes":["costCenter"]"""), "attributes[0]", "must be an attribute object" },
        { Doc(""","attribtues":[{"name":"a"}]"""), "attribtues", "unknown member" },
        { Doc(""","Id":"urn:example:other:User","attributes":[{"name":"a"}]"""), "Id", "is given twice" },
        { """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],""" + Doc(""","attributes":[{"name":"a"}]""")[1..], "schemas", "some other kind of resource" },
        { Doc(""","name":["Acme"],"attributes":[{"name":"a"}]"""), "name", "must be a string" },
        // attribute names (RFC 7643 §2.1 ATTRNAME), and one name twice
        { With("\"type\":\"string\""), "attributes[0].name", "is required" },
        { With("\"name\":\"cost center\""), "attributes[0].name", "is not an attribute name" },
        { With("\"name\":\"1stDay\""), "attributes[0].name", "is not an attribute name" },
        { With("\"name\":\"costCenter.code\""), "attributes[0].name", "is not an attribute name" },
        { With("\"name\":\"kostenstellé\""), "attributes[0].name", "is not an attribute name" },
        { With("\"name\":\"$ref\",\"type\":\"reference\""), "attributes[0].name", "is not an attribute name" },
        { Doc(""","attributes":[{"name":"costCenter"},{"name":"CostCenter"}]"""), "attributes[1].name", "is declared twice (also attributes[0])" },
        // characteristics
        { With("\"name\":\"badge\",\"type\":\"number\""), "attributes[0] (badge).type", "\"number\" is not one of string, boolean, decimal, integer, dateTime, reference, binary or complex" },
        { With("\"name\":\"badge\",\"type\":\"String\""), "attributes[0] (badge).type", "is not one of" },
        { With("\"name\":\"badge\",\"multiValued\":\"yes\""), "attributes[0] (badge).multiValued", "must be true or false" },
        { With("\"name\":\"badge\",\"required\":1"), "attributes[0] (badge).required", "must be true or false" },
        { With("\"name\":\"badge\",\"caseExact\":null,\"description\":7"), "attributes[0] (badge).description", "must be a string" },
        { With("\"name\":\"badge\",\"mutability\":\"readwrite\""), "attributes[0] (badge).mutability", "is not one of readOnly, readWrite, immutable or writeOnly" },
        { With("\"name\":\"badge\",\"mutability\":\"readOnly\""), "attributes[0] (badge).mutability", "would never have a value" },
        { With("\"name\":\"badge\",\"mutability\":\"writeOnly\""), "attributes[0] (badge).mutability", "never kept" },
        { With("\"name\":\"badge\",\"returned\":\"sometimes\""), "attributes[0] (badge).returned", "is not one of always, never, default or request" },
        { With("\"name\":\"badge\",\"uniqueness\":\"server\""), "attributes[0] (badge).uniqueness", "not enforced" },
        { With("\"name\":\"badge\",\"uniqueness\":\"global\""), "attributes[0] (badge).uniqueness", "not enforced" },
        { With("\"name\":\"badge\",\"mutablity\":\"immutable\""), "attributes[0].mutablity", "unknown member" },
        { With("\"name\":\"badge\",\"Name\":\"badge2\""), "attributes[0].Name", "is given twice" },
        { With("\"name\":\"badge\",\"type\":\"integer\",\"canonicalValues\":[\"1\"]"), "attributes[0] (badge).canonicalValues", "canonical values are strings" },
        { With("\"name\":\"badge\",\"canonicalValues\":[\"\"]"), "attributes[0] (badge).canonicalValues", "non-empty strings" },
        { With("\"name\":\"badge\",\"referenceTypes\":[\"User\"]"), "attributes[0] (badge).referenceTypes", "only a reference attribute" },
        { With("\"name\":\"badge\",\"type\":\"reference\",\"referenceTypes\":\"User\""), "attributes[0] (badge).referenceTypes", "must be an array" },
        // complex, one level (RFC 7643 §2.3.8)
        { With("\"name\":\"desk\",\"type\":\"complex\""), "attributes[0] (desk).subAttributes", "is required" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[]"), "attributes[0] (desk).subAttributes", "is empty" },
        { With("\"name\":\"desk\",\"subAttributes\":[{\"name\":\"floor\"}]"), "attributes[0] (desk).subAttributes", "only a complex attribute has sub-attributes" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"room\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"n\"}]}]"),
            "attributes[0] (desk).subAttributes[0] (room).type", "cannot be complex" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor\",\"multiValued\":true}]"),
            "attributes[0] (desk).subAttributes[0] (floor).multiValued", "single-valued" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor\",\"required\":true}]"),
            "attributes[0] (desk).subAttributes[0] (floor).required", "must be false" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor\",\"mutability\":\"immutable\"}]"),
            "attributes[0] (desk).subAttributes[0] (floor).mutability", "must be \"readWrite\"" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor\",\"returned\":\"never\"}]"),
            "attributes[0] (desk).subAttributes[0] (floor).returned", "must be \"default\"" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor\",\"uniqueness\":\"server\"}]"),
            "attributes[0] (desk).subAttributes[0] (floor).uniqueness", "not enforced" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor\"},{\"name\":\"FLOOR\"}]"),
            "attributes[0] (desk).subAttributes[1].name", "is declared twice" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"$ref\"}]"),
            "attributes[0] (desk).subAttributes[0] ($ref).type", "declare it with type \"reference\"" },
        { With("\"name\":\"desk\",\"type\":\"complex\",\"subAttributes\":[{\"name\":\"floor number\"}]"),
            "attributes[0] (desk).subAttributes[0].name", "is not an attribute name" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusals_say_where_and_what(string json, string location, string problem)
    {
        var error = Assert.Throws<InvalidSchemaException>(() => Parse(json));
        Assert.Equal(location, error.Location);
        Assert.Contains(problem, error.Problem);
        // A SCIM error, so an endpoint that takes schemas answers it as any bad input.
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Equal(location.Length == 0 ? error.Problem : $"{location}: {error.Problem}", error.Detail);
    }

    [Fact]
    public void Declared_schemas_join_the_user_type_as_optional_extensions_after_the_enterprise_one()
    {
        var acme = Parse(Acme);
        var other = Parse("""{"id":"urn:example:acme:Badge","attributes":[{"name":"color"}]}""");
        var type = ScimSchemas.UserResourceTypeWith([acme, other]);

        Assert.Equal([ScimSchemas.UserUrn, ScimSchemas.EnterpriseUserUrn, AcmeUrn, "urn:example:acme:Badge"], type.AllSchemas.Select(s => s.Id).ToArray());
        Assert.All(type.Extensions, e => Assert.False(e.Required));
        Assert.Same(acme, type.FindExtension(AcmeUrn.ToUpperInvariant()));
        // The shared definition is left as it was.
        Assert.Single(ScimSchemas.UserResourceType.Extensions);
        Assert.Single(ScimSchemas.UserResourceTypeWith([]).Extensions);
    }

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:acme:2.0:User", "is already a schema")]
    [InlineData("URN:ietf:params:scim:schemas:extension:ACME:2.0:User", "is already a schema")]
    [InlineData("urn:ietf:params:scim:schemas:extension:acme:2.0:User:more", "ambiguous")]
    [InlineData("urn:ietf:params:scim:schemas:extension:acme:2.0", "ambiguous")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:acme", "ambiguous")]
    public void Urns_that_collide_with_another_schema_of_the_type_are_refused(string urn, string problem)
    {
        var acme = Parse(Acme);
        var colliding = new SchemaDefinition(urn, "", "", acme.Attributes);
        var error = Assert.Throws<InvalidSchemaException>(() => ScimSchemas.UserResourceTypeWith([acme, colliding]));
        Assert.Equal("id", error.Location);
        Assert.Contains(problem, error.Problem);
    }
}
