using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Patching;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Patching;

/// <summary>Schema rules the engine enforces, and its all-or-nothing contract.</summary>
public class PatchEngineRulesTests
{
    static ScimException Fails(JsonObject resource, params string[] operations) =>
        Assert.Throws<ScimException>(() => PatchUser(resource, operations));

    [Theory]
    [InlineData("""{"op":"replace","path":"id","value":"x"}""", "'id' is read-only")]
    [InlineData("""{"op":"replace","path":"meta.created","value":"2020-01-01T00:00:00Z"}""", "'meta.created' is read-only")]
    [InlineData("""{"op":"remove","path":"meta"}""", "'meta' is read-only")]
    [InlineData("""{"op":"add","path":"groups","value":[{"value":"g2"}]}""", "'groups' is read-only")]
    [InlineData("""{"op":"replace","path":"schemas","value":["x"]}""", "'schemas' is read-only")]
    [InlineData("""{"op":"replace","path":"manager.displayName","value":"x"}""", "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName' is read-only")]
    public void Explicit_paths_to_read_only_attributes_are_mutability_errors(string operation, string expected)
    {
        var error = Fails(Barbara(), operation);

        Assert.Equal(ScimErrorType.Mutability, error.ScimType);
        Assert.Equal($"Operations[0]: {expected} and cannot be modified", error.Detail);
    }

    [Theory]
    [InlineData("""{"op":"remove","path":"userName"}""")]
    [InlineData("""{"op":"replace","path":"userName","value":null}""")]
    [InlineData("""{"op":"replace","value":{"userName":null}}""")]
    public void Removing_user_name_is_refused_clearly(string operation)
    {
        var error = Fails(Barbara(), operation);

        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Equal("Operations[0]: 'userName' is required and cannot be removed", error.Detail);
    }

    [Fact]
    public void Immutable_attribute_may_be_added_when_absent_and_repeated_but_not_changed_or_removed()
    {
        var team = TeamResource();

        var added = Patch(team, Fixtures.Team, """{"op":"add","path":"code","value":"ABC"}""");
        var repeated = Patch(added, Fixtures.Team, """{"op":"replace","value":{"code":"ABC"}}""");
        var change = Assert.Throws<ScimException>(() => Patch(added, Fixtures.Team, """{"op":"replace","path":"code","value":"abc"}"""));
        var removal = Assert.Throws<ScimException>(() => Patch(added, Fixtures.Team, """{"op":"remove","path":"code"}"""));

        Assert.Equal("ABC", (string)repeated["code"]!);
        Assert.Equal(ScimErrorType.Mutability, change.ScimType);
        Assert.Equal("Operations[0]: 'code' is immutable and already has a value, so it cannot be changed", change.Detail);
        Assert.Equal(ScimErrorType.Mutability, removal.ScimType);
    }

    [Fact]
    public void Unknown_path_is_invalid_path()
    {
        var error = Fails(Barbara(), """{"op":"replace","path":"favouriteColour","value":"blue"}""");

        Assert.Equal(ScimErrorType.InvalidPath, error.ScimType);
        Assert.Contains("'favouriteColour'", error.Detail);
    }

    [Fact]
    public void A_failing_operation_leaves_the_input_untouched_and_applies_nothing()
    {
        var user = Barbara();
        var before = user.ToJsonString();
        var request = PatchRequest.Parse(JsonNode.Parse(PatchBody(
            """{"op":"replace","path":"displayName","value":"Changed"}""",
            """{"op":"add","path":"emails","value":{"value":"x@y.z"}}""",
            """{"op":"replace","path":"active","value":"nope"}""")), User);

        var error = Assert.Throws<ScimException>(() => PatchEngine.Apply(user, request, User));

        Assert.StartsWith("Operations[2]: 'active' must be a boolean", error.Detail);
        Assert.Equal(before, user.ToJsonString());
    }

    [Fact]
    public void A_successful_patch_does_not_mutate_the_input()
    {
        var user = Barbara();
        var before = user.ToJsonString();

        var result = PatchUser(user,
            """{"op":"remove","path":"emails[type eq \"home\"]"}""",
            """{"op":"replace","path":"name.givenName","value":"Babs"}""",
            """{"op":"replace","path":"manager","value":"other"}""");

        Assert.Equal(before, user.ToJsonString());
        Assert.NotSame(user, result);
        Assert.Equal("Babs", (string)result["name"]!["givenName"]!);
    }

    [Fact]
    public void Replace_of_a_complex_attribute_keeps_unmentioned_sub_attributes()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"name","value":{"givenName":"Babs","MiddleName":"J"}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"givenName":"Babs","familyName":"Jensen","middleName":"J"}"""), result["name"]));
    }

    [Fact]
    public void Null_sub_attribute_in_a_complex_replace_unassigns_it()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"name","value":{"familyName":null}}""");

        Assert.Equal("""{"givenName":"Barbara"}""", result["name"]!.ToJsonString());
    }

    [Fact]
    public void Replace_of_a_multi_valued_attribute_without_filter_replaces_the_array()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"emails","value":[{"value":"only@example.com","type":"other"}]}""");

        Assert.Equal(["only@example.com"], Values(result, "emails"));
    }

    [Fact]
    public void Add_to_a_multi_valued_attribute_appends_and_skips_equal_values()
    {
        var result = PatchUser(Barbara(), """
            {"op":"add","path":"emails","value":[{"value":"BJENSEN@example.com","type":"other"},{"value":"new@example.com","type":"other"}]}
            """);

        Assert.Equal(["bjensen@example.com", "babs@jensen.org", "new@example.com"], Values(result, "emails"));
    }

    [Fact]
    public void Elements_without_a_value_are_deduplicated_by_all_sub_attributes()
    {
        var address = """{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood"}""";

        var same = PatchUser(Barbara(), $$"""{"op":"add","path":"addresses","value":{{address}}}""");
        var other = PatchUser(Barbara(), """{"op":"add","path":"addresses","value":{"type":"home","locality":"Hollywood"}}""");

        Assert.Single(same["addresses"]!.AsArray());
        Assert.Equal(2, other["addresses"]!.AsArray().Count);
    }

    [Fact]
    public void Setting_a_new_primary_clears_the_old_one()
    {
        var result = PatchUser(Barbara(), """{"op":"add","path":"emails","value":[{"value":"new@example.com","type":"work","Primary":"True"}]}""");

        var emails = result["emails"]!.AsArray();
        Assert.False((bool)emails[0]!["primary"]!);
        Assert.Equal("""{"value":"new@example.com","type":"work","primary":true}""", emails[2]!.ToJsonString());
    }

    [Fact]
    public void Setting_primary_through_a_filter_clears_it_elsewhere()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"emails[type eq \"home\"].primary","value":"True"}""");

        Assert.False((bool)result["emails"]![0]!["primary"]!);
        Assert.True((bool)result["emails"]![1]!["primary"]!);
    }

    [Fact]
    public void Two_primaries_in_one_operation_are_invalid()
    {
        var error = Fails(Barbara(), """{"op":"replace","path":"emails","value":[{"value":"a@x","primary":true},{"value":"b@x","primary":true}]}""");

        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains("At most one value of 'emails' may have primary set to true", error.Detail);
    }

    [Fact]
    public void Json_null_as_a_value_removes_the_attribute()
    {
        var result = PatchUser(Barbara(),
            """{"op":"replace","path":"title","value":null}""",
            """{"op":"add","value":{"displayName":null}}""");

        Assert.False(result.ContainsKey("title"));
        Assert.False(result.ContainsKey("displayName"));
    }

    [Fact]
    public void Remove_of_a_filtered_sub_attribute_keeps_the_element()
    {
        var result = PatchUser(Barbara(), """{"op":"remove","path":"emails[type eq \"work\"].primary"}""");

        Assert.Equal("""{"value":"bjensen@example.com","type":"work"}""", result["emails"]![0]!.ToJsonString());
    }

    [Fact]
    public void A_number_for_a_string_attribute_is_stored_as_its_text()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"employeeNumber","value":701985}""");

        Assert.Equal("\"701985\"", Enterprise(result)!["employeeNumber"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"title","value":true}""", "'title' must be a string; got true")]
    [InlineData("""{"op":"replace","path":"title","value":{"a":1}}""", "'title' takes a single a string value, not an object")]
    [InlineData("""{"op":"replace","path":"title","value":["a","b"]}""", "'title' takes a single value, but 2 were given")]
    [InlineData("""{"op":"replace","path":"name","value":"Barbara"}""", "'name' is a complex attribute; expected an object of its sub-attributes")]
    [InlineData("""{"op":"add","path":"emails","value":[{"value":"a@b","primary":"yes"}]}""", "'emails.primary' must be a boolean")]
    public void Values_of_the_wrong_type_are_invalid_value(string operation, string expected)
    {
        var error = Fails(Barbara(), operation);

        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.StartsWith($"Operations[0]: {expected}", error.Detail);
    }

    [Fact]
    public void Single_valued_attributes_accept_a_one_element_array()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"title","value":["Boss"]}""");

        Assert.Equal("Boss", (string)result["title"]!);
    }

    [Fact]
    public void Numeric_and_date_attributes_are_coerced_by_type()
    {
        var result = Patch(TeamResource(), Fixtures.Team,
            """{"op":"add","value":{"priority":"7","weight":2.25,"foundedOn":"2020-02-29T12:00:00Z","archived":"false","tags":"solo"}}""");

        Assert.Equal("7", result["priority"]!.ToJsonString());
        Assert.Equal("2.25", result["weight"]!.ToJsonString());
        Assert.Equal("2020-02-29T12:00:00Z", (string)result["foundedOn"]!);
        Assert.False((bool)result["archived"]!);
        Assert.Equal("""["solo"]""", result["tags"]!.ToJsonString());
        Assert.Throws<ScimException>(() => Patch(TeamResource(), Fixtures.Team, """{"op":"add","path":"priority","value":1.5}"""));
        Assert.Throws<ScimException>(() => Patch(TeamResource(), Fixtures.Team, """{"op":"add","path":"foundedOn","value":"soon"}"""));
    }

    [Fact]
    public void Simple_multi_valued_attributes_deduplicate_case_insensitively()
    {
        var team = Patch(TeamResource(), Fixtures.Team, """{"op":"add","path":"tags","value":["a","b"]}""");

        var result = Patch(team, Fixtures.Team, """{"op":"add","path":"tags","value":["A","c"]}""");

        Assert.Equal("""["a","b","c"]""", result["tags"]!.ToJsonString());
    }

    [Fact]
    public void Sub_attribute_of_a_multi_valued_attribute_without_filter_addresses_every_element()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"emails.display","value":"Mail"}""");

        Assert.All(result["emails"]!.AsArray(), e => Assert.Equal("Mail", (string)e!["display"]!));
    }

    [Fact]
    public void Operations_built_in_code_without_path_are_checked_too()
    {
        var removeAll = new PatchRequest([new PatchOperation(0, PatchOperationType.Remove, null, null)]);
        var replaceWithText = new PatchRequest([new PatchOperation(0, PatchOperationType.Replace, null, JsonValue.Create("x"))]);
        var replaceTitle = new PatchRequest([new PatchOperation(0, PatchOperationType.Replace, ScimPathParser.Parse("title", User), JsonValue.Create("Boss"))]);

        Assert.Equal(ScimErrorType.NoTarget, Assert.Throws<ScimException>(() => PatchEngine.Apply(Barbara(), removeAll, User)).ScimType);
        Assert.Equal(ScimErrorType.InvalidValue, Assert.Throws<ScimException>(() => PatchEngine.Apply(Barbara(), replaceWithText, User)).ScimType);
        Assert.Equal("Boss", (string)PatchEngine.Apply(Barbara(), replaceTitle, User)["title"]!);
    }

    [Fact]
    public void Canonical_names_replace_other_spellings_already_stored()
    {
        var user = Parse("""{"userName":"x","Title":"old"}""");

        var result = PatchUser(user, """{"op":"replace","path":"TITLE","value":"new"}""");

        Assert.Equal("""{"userName":"x","title":"new"}""", result.ToJsonString());
    }
}
