using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Schema;

/// <summary>
/// A declared schema's characteristics at work in the protocol: types on write, case folding for
/// filters, PATCH by URN path, immutable values on PUT, and what a response carries (RFC 7643 §7
/// <c>returned</c>).
/// </summary>
public sealed class DeclaredSchemaBehaviourTests
{
    const string Acme = SchemaResourceParserTests.AcmeUrn;

    static readonly ResourceTypeDefinition Type =
        ScimSchemas.UserResourceTypeWith([SchemaResourceParser.Parse(JsonNode.Parse(SchemaResourceParserTests.Acme))]);

    static JsonObject Normalize(string acme) => ResourceNormalizer.NormalizeRequestBody(Parse($$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","{{Acme}}"],"userName":"ann@acme.example","{{Acme}}":{{acme}}}
        """), Type);

    static JsonObject Render(JsonObject resource) =>
        ResourceWriter.Render(Type, "1", resource, new ResourceMeta(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, "https://roster.test/Users/1"));

    [Fact]
    public void Values_are_kept_under_the_urn_in_their_declared_types()
    {
        var resource = Normalize("""{"COSTCENTER":4130,"badgeNumber":"12","hourlyRate":"12.5","contractor":"True","skills":"sql","desk":{"Floor":"3"}}""");
        var acme = resource[Acme]!.AsObject();
        Assert.Equal("4130", acme["costCenter"]!.GetValue<string>());
        Assert.Equal(12L, acme["badgeNumber"]!.GetValue<long>());
        Assert.Equal(12.5m, acme["hourlyRate"]!.GetValue<decimal>());
        Assert.True(acme["contractor"]!.GetValue<bool>());
        Assert.Equal(["sql"], acme["skills"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray());
        Assert.Equal(3L, acme["desk"]!["floor"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"badgeNumber":"twelve"}""", Acme + ":badgeNumber' must be an integer")]
    [InlineData("""{"badgeNumber":12.5}""", Acme + ":badgeNumber' must be an integer")]
    [InlineData("""{"costCenter":true}""", Acme + ":costCenter' must be a string")]
    [InlineData("""{"costCenter":["4130","4131"]}""", Acme + ":costCenter' takes a single value")]
    [InlineData("""{"startedOn":"last week"}""", Acme + ":startedOn' must be a dateTime")]
    [InlineData("""{"contractor":"sometimes"}""", Acme + ":contractor' must be a boolean")]
    [InlineData("""{"desk":"B12"}""", Acme + ":desk' is a complex attribute")]
    [InlineData("""{"desk":{"floor":"third"}}""", Acme + ":desk.floor' must be an integer")]
    [InlineData("\"4130\"", "must be an object of that extension's attributes")]
    public void Values_of_the_wrong_type_are_invalid_values_naming_the_path(string acme, string detail)
    {
        var error = Assert.Throws<ScimException>(() => Normalize(acme));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains(detail, error.Detail);
    }

    [Fact]
    public void A_required_attribute_is_required_of_resources_that_carry_the_extension()
    {
        var type = ScimSchemas.UserResourceTypeWith([SchemaResourceParser.Parse(JsonNode.Parse(
            """{"id":"urn:example:acme:User","attributes":[{"name":"costCenter","required":true},{"name":"floor","type":"integer"}]}"""))]);
        JsonObject Write(string? extension)
        {
            var body = Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""");
            if (extension is not null) body["urn:example:acme:User"] = JsonNode.Parse(extension);
            return ResourceNormalizer.NormalizeRequestBody(body, type);
        }

        Assert.False(Write(null).ContainsKey("urn:example:acme:User")); // an optional extension may be left out
        var missing = Assert.Throws<ScimException>(() => Write("""{"floor":3}"""));
        Assert.Equal(ScimErrorType.InvalidValue, missing.ScimType);
        Assert.Contains("urn:example:acme:User:costCenter\" is required", missing.Detail);

        var resource = Write("""{"costCenter":"4130"}""");
        var removed = Assert.Throws<ScimException>(() => Patch(resource, type, """{"op":"remove","path":"urn:example:acme:User:costCenter"}"""));
        Assert.Equal(ScimErrorType.InvalidValue, removed.ScimType);
    }

    [Fact]
    public void Undeclared_extensions_and_attributes_are_ignored()
    {
        var resource = ResourceNormalizer.NormalizeRequestBody(Parse($$$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example",
             "urn:example:globex:User":{"costCenter":"1"},"{{{Acme}}}":{"costCenter":"2","floor":"9"}}
            """), Type);
        Assert.False(resource.ContainsKey("urn:example:globex:User"));
        Assert.Equal("""{"costCenter":"2"}""", resource[Acme]!.ToJsonString());
        // The same body against the type without the declared schema drops it whole.
        Assert.False(ResourceNormalizer.Normalize(resource, User).ContainsKey(Acme));
    }

    [Fact]
    public void The_search_document_folds_case_as_each_attribute_declares()
    {
        var resource = Normalize("""{"costCenter":"AB-12","badgeCode":"Xy7","desk":{"building":"North"},"pets":[{"value":"Rex","type":"Dog"}]}""");
        var search = SearchDocument.From(resource, Type)[Acme]!;
        Assert.Equal("ab-12", search["costCenter"]!.GetValue<string>());
        Assert.Equal("Xy7", search["badgeCode"]!.GetValue<string>()); // caseExact
        Assert.Equal("north", search["desk"]!["building"]!.GetValue<string>());
        Assert.Equal("rex", search["pets"]![0]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(Acme + ":costCenter eq \"ab-12\"", true)]
    [InlineData(Acme + ":COSTCENTER sw \"AB\"", true)]
    [InlineData(Acme + ":badgeCode eq \"xy7\"", false)]
    [InlineData(Acme + ":badgeCode eq \"Xy7\"", true)]
    [InlineData(Acme + ":badgeNumber gt 10 and " + Acme + ":badgeNumber lt 13", true)]
    [InlineData(Acme + ":desk.floor eq 3", true)]
    [InlineData(Acme + ":pets[type eq \"dog\" and value eq \"REX\"]", true)]
    [InlineData(Acme + ":skills eq \"SQL\"", true)]
    [InlineData(Acme + ":hourlyRate pr", false)]
    public void Filters_reach_declared_attributes_by_their_urn(string filter, bool matches)
    {
        var resource = Normalize("""{"costCenter":"AB-12","badgeCode":"Xy7","badgeNumber":12,"desk":{"floor":3},"pets":[{"value":"Rex","type":"Dog"}],"skills":["sql"]}""");
        // The stored form, as the database filters it: badgeCode is never returned, but it is kept.
        Assert.True(matches == ScimFilterEvaluator.Matches(resource, ScimFilterParser.Parse(filter, Type)), filter);
    }

    [Fact]
    public void Filters_refuse_values_that_do_not_fit_a_declared_type()
    {
        var error = Assert.Throws<ScimException>(() => ScimFilterParser.Parse(Acme + ":badgeNumber eq \"twelve\"", Type));
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Throws<ScimException>(() => ScimFilterParser.Parse(Acme + ":costCenter eq \"x\"", User));
    }

    [Fact]
    public void Patch_changes_declared_attributes_by_urn_path_and_guards_immutable_ones()
    {
        var resource = Normalize("""{"costCenter":"4130","badgeNumber":12}""");
        var patched = Patch(resource, Type,
            $$"""{"op":"replace","path":"{{Acme}}:costCenter","value":"5000"}""",
            "{\"op\":\"add\",\"value\":{\"" + Acme + "\":{\"skills\":[\"go\"]}}}");
        Assert.Equal("5000", patched[Acme]!["costCenter"]!.GetValue<string>());
        Assert.Equal("go", patched[Acme]!["skills"]![0]!.GetValue<string>());

        var immutable = Assert.Throws<ScimException>(() => Patch(resource, Type, $$"""{"op":"replace","path":"{{Acme}}:badgeNumber","value":13}"""));
        Assert.Equal(ScimErrorType.Mutability, immutable.ScimType);
        var wrongType = Assert.Throws<ScimException>(() => Patch(resource, Type, $$"""{"op":"replace","path":"{{Acme}}:badgeNumber","value":"x"}"""));
        Assert.Equal(ScimErrorType.InvalidValue, wrongType.ScimType);
    }

    [Fact]
    public void A_replacement_keeps_immutable_values_it_leaves_out_and_may_not_change_them()
    {
        var current = Normalize("""{"costCenter":"4130","badgeNumber":12}""");

        var without = Normalize("""{"costCenter":"5000"}""");
        ImmutableValues.Keep(current, without, Type);
        Assert.Equal(12L, without[Acme]!["badgeNumber"]!.GetValue<long>());
        Assert.Equal("5000", without[Acme]!["costCenter"]!.GetValue<string>());

        var noExtension = ResourceNormalizer.Normalize(Parse("""{"userName":"ann@acme.example"}"""), Type);
        ImmutableValues.Keep(current, noExtension, Type);
        Assert.Equal("""{"badgeNumber":12}""", noExtension[Acme]!.ToJsonString());

        var same = Normalize("""{"badgeNumber":12}""");
        ImmutableValues.Keep(current, same, Type);

        var changed = Normalize("""{"badgeNumber":13}""");
        var error = Assert.Throws<ScimException>(() => ImmutableValues.Keep(current, changed, Type));
        Assert.Equal(ScimErrorType.Mutability, error.ScimType);
        Assert.Contains(Acme + ":badgeNumber", error.Detail);
    }

    [Fact]
    public void Responses_follow_what_each_attribute_declares_for_returned()
    {
        var resource = Normalize("""{"costCenter":"4130","badgeCode":"Xy7","hourlyRate":40,"contractor":true}""");
        resource["urn:example:removed:User"] = new JsonObject { ["x"] = "stale" }; // an extension no longer declared
        var rendered = Render(resource);
        Assert.Equal([ScimSchemas.UserUrn, Acme], rendered["schemas"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray());
        Assert.False(rendered[Acme]!.AsObject().ContainsKey("badgeCode")); // never
        Assert.False(rendered.ContainsKey("urn:example:removed:User"));

        JsonObject Project(string? attributes, string? excluded) =>
            ResourceProjection.Parse(attributes, excluded, Type).Apply(Render(resource));

        // request: only when asked for by name.
        Assert.False(Project(null, null)[Acme]!.AsObject().ContainsKey("hourlyRate"));
        Assert.False(Project(Acme, null)[Acme]!.AsObject().ContainsKey("hourlyRate"));
        Assert.Equal(40m, Project($"{Acme}:hourlyRate", null)[Acme]!["hourlyRate"]!.GetValue<decimal>());
        // always: whatever is asked.
        var onlyUserName = Project("userName", null);
        Assert.True(onlyUserName[Acme]!["contractor"]!.GetValue<bool>());
        Assert.Null(onlyUserName[Acme]!["costCenter"]);
        Assert.True(Project(null, $"{Acme}:contractor")[Acme]!["contractor"]!.GetValue<bool>());
        Assert.True(Project(null, Acme)[Acme]!["contractor"]!.GetValue<bool>());
        // default: as attributes and excludedAttributes say; an extension left empty is left out.
        Assert.Null(Project(null, $"{Acme}:costCenter")[Acme]!["costCenter"]);
        Assert.False(Project($"{ScimSchemas.EnterpriseUserUrn}:employeeNumber", null).ContainsKey(ScimSchemas.EnterpriseUserUrn));
    }
}
