using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Patching;

/// <summary>User PATCH bodies as Okta, Entra ID and the Microsoft SCIM Validator send them
/// (docs: idp-behaviors.md §1.2, §2.2, §2.3, §2.4).</summary>
public class PatchEngineUserTests
{
    [Fact]
    public void Okta_deactivation_is_a_replace_without_path()
    {
        var user = OktaUser();

        var result = PatchUser(user, """{"op":"replace","value":{"active":false}}""");

        Assert.False((bool)result["active"]!);
        Assert.True((bool)user["active"]!);
        Assert.Equal("test.user@okta.local", (string)result["userName"]!);
    }

    [Fact]
    public void Okta_reactivation_is_the_same_with_true()
    {
        var inactive = PatchUser(OktaUser(), """{"op":"replace","value":{"active":false}}""");

        var result = PatchUser(inactive, """{"op":"replace","value":{"active":true}}""");

        Assert.True((bool)result["active"]!);
    }

    [Theory]
    [InlineData("\"False\"", false)]
    [InlineData("\"false\"", false)]
    [InlineData("false", false)]
    [InlineData("\"True\"", true)]
    [InlineData("true", true)]
    public void Entra_replace_of_active_accepts_boolean_strings(string value, bool expected)
    {
        var result = PatchUser(Barbara(), $$"""{"op":"Replace","path":"active","value":{{value}}}""");

        Assert.Equal(expected, (bool)result["active"]!);
        Assert.Equal(expected ? "true" : "false", result["active"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("1")]
    [InlineData("{\"value\":true}")]
    public void Anything_else_for_a_boolean_is_invalid_value(string value)
    {
        var error = Assert.Throws<ScimException>(() => PatchUser(Barbara(), $$"""{"op":"Replace","path":"active","value":{{value}}}"""));

        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.StartsWith("Operations[0]: 'active'", error.Detail);
    }

    [Fact]
    public void Entra_aadOptscim062020_replace_with_dotted_and_urn_keys()
    {
        var user = Barbara();

        var result = PatchUser(user,
            """{"op":"replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}""",
            """
            {"op":"replace","value":{
              "displayName":"Bjfe",
              "name.givenName":"Kkom",
              "name.familyName":"Unua",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}
            """);

        Assert.Equal("Bjfe", (string)result["displayName"]!);
        Assert.Equal("Kkom", (string)result["name"]!["givenName"]!);
        Assert.Equal("Unua", (string)result["name"]!["familyName"]!);
        Assert.Equal("Aklq", (string)Enterprise(result)!["employeeNumber"]!);
        Assert.Equal(["updatedEmail@microsoft.com", "babs@jensen.org"], Values(result, "emails"));
        // The keys are paths, not new attributes.
        Assert.Null(result["name.givenName"]);
        Assert.Null(result[$"{EnterpriseUrn}:employeeNumber"]);
        Assert.Equal("Tour Operations", (string)Enterprise(result)!["department"]!);
    }

    [Fact]
    public void Entra_replace_of_the_work_email_keeps_its_other_sub_attributes()
    {
        var result = PatchUser(Barbara(),
            """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}""",
            """{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}""");

        var work = result["emails"]![0]!;
        Assert.Equal("work", (string)work["type"]!);
        Assert.True((bool)work["primary"]!);
        Assert.Equal("updatedFamilyName", (string)result["name"]!["familyName"]!);
        Assert.Equal("Barbara", (string)result["name"]!["givenName"]!);
    }

    [Fact]
    public void Entra_work_email_replace_creates_the_email_when_there_is_none()
    {
        var user = Parse("""{"userName":"x","emails":[{"value":"home@example.com","type":"home"}]}""");

        var result = PatchUser(user, """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"work@example.com"}""");

        var emails = result["emails"]!.AsArray();
        Assert.Equal(2, emails.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"work","value":"work@example.com"}"""), emails[1]));
    }

    [Fact]
    public void Work_email_replace_creates_the_attribute_when_the_user_has_no_emails()
    {
        var result = PatchUser(Parse("""{"userName":"x"}"""),
            """{"op":"add","path":"emails[type eq \"work\" and primary eq true].value","value":"w@example.com"}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"type":"work","primary":true,"value":"w@example.com"}]"""), result["emails"]));
    }

    [Fact]
    public void Validator_verbose_replace_of_filtered_phone_and_address()
    {
        var result = PatchUser(Barbara(),
            """{"op":"replace","path":"phoneNumbers[type eq \"work\"].value","value":"555-000-0000"}""",
            """{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1 Infinite Loop"}""",
            """{"op":"replace","path":"addresses[type eq \"work\"].locality","value":"Cupertino"}""");

        Assert.Equal("555-000-0000", (string)result["phoneNumbers"]![0]!["value"]!);
        Assert.Single(result["addresses"]!.AsArray());
        Assert.Equal("1 Infinite Loop", (string)result["addresses"]![0]!["streetAddress"]!);
        Assert.Equal("Cupertino", (string)result["addresses"]![0]!["locality"]!);
        Assert.Equal("work", (string)result["addresses"]![0]!["type"]!);
    }

    [Fact]
    public void Replace_with_a_filter_merges_into_the_matching_element()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"new@jensen.org","Display":"Home"}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"value":"new@jensen.org","type":"home","display":"Home"}"""), result["emails"]![1]));
    }

    [Fact]
    public void A_filter_that_matches_nothing_and_describes_nothing_is_no_target()
    {
        var error = Assert.Throws<ScimException>(() =>
            PatchUser(Barbara(), """{"op":"replace","path":"emails[value co \"@nowhere\"].type","value":"other"}"""));

        Assert.Equal(ScimErrorType.NoTarget, error.ScimType);
        Assert.StartsWith("Operations[0]: No value of 'emails' matches the filter value co \"@nowhere\"", error.Detail);
    }

    [Fact]
    public void Update_user_name_without_path()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","value":{"userName":"babs@example.com"}}""");

        Assert.Equal("babs@example.com", (string)result["userName"]!);
    }

    [Fact]
    public void Multiple_operations_on_different_attributes_all_apply_in_order()
    {
        var result = PatchUser(Barbara(),
            """{"op":"replace","path":"displayName","value":"First"}""",
            """{"op":"replace","path":"title","value":"Manager"}""",
            """{"op":"replace","path":"displayName","value":"Second"}""");

        Assert.Equal("Second", (string)result["displayName"]!);
        Assert.Equal("Manager", (string)result["title"]!);
    }

    [Fact]
    public void Manager_add_with_an_object_value()
    {
        var result = PatchUser(OktaUser(), $$$"""{"op":"add","path":"{{{EnterpriseUrn}}}:manager","value":{"value":"AXTKDLNRKMKT"}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"value":"AXTKDLNRKMKT"}"""), Enterprise(result)!["manager"]));
        Assert.Contains(EnterpriseUrn, result["schemas"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public void Manager_add_with_a_bare_string()
    {
        var result = PatchUser(OktaUser(), $$"""{"op":"add","path":"{{EnterpriseUrn}}:manager","value":"AXTKDLNRKMKT"}""");

        Assert.Equal("AXTKDLNRKMKT", (string)Enterprise(result)!["manager"]!["value"]!);
    }

    [Fact]
    public void Entra_manager_add_with_unqualified_path_and_array_value()
    {
        var result = PatchUser(Barbara(), """
            {"op":"Add","path":"manager","value":[{"$ref":"http://example.com/scim/Users/00aa00aa","value":"00aa00aa"}]}
            """);

        // A different manager: the old display name and $ref no longer apply.
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"$ref":"http://example.com/scim/Users/00aa00aa","value":"00aa00aa"}"""),
            Enterprise(result)!["manager"]));
    }

    [Fact]
    public void Manager_with_capitalised_sub_attribute_names_is_written_canonically()
    {
        var result = PatchUser(OktaUser(), """{"op":"add","path":"Manager","value":{"Value":"m1"}}""");

        Assert.Equal("""{"value":"m1"}""", Enterprise(result)!["manager"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":""}}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":""}""")]
    [InlineData("""{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}""")]
    [InlineData("""{"op":"replace","path":"manager","value":null}""")]
    [InlineData("""{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":""}}}}""")]
    public void Remove_manager_forms(string operation)
    {
        var result = PatchUser(Barbara(), operation);

        Assert.Null(Enterprise(result)!["manager"]);
        Assert.Equal("701984", (string)Enterprise(result)!["employeeNumber"]!);
    }

    [Fact]
    public void Replace_manager_with_same_value_keeps_its_display_name()
    {
        var result = PatchUser(Barbara(), """{"op":"replace","path":"manager","value":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}""");

        Assert.Equal("John Smith", (string)Enterprise(result)!["manager"]!["displayName"]!);
    }

    [Fact]
    public void Removing_the_last_extension_attribute_drops_the_extension_and_its_schema()
    {
        var user = OktaUser();
        var withNumber = PatchUser(user, """{"op":"add","value":{"employeeNumber":"42"}}""");
        Assert.Equal(2, withNumber["schemas"]!.AsArray().Count);

        var result = PatchUser(withNumber, $$"""{"op":"remove","path":"{{EnterpriseUrn}}:employeeNumber"}""");

        Assert.Null(result[EnterpriseUrn]);
        Assert.True(JsonNode.DeepEquals(user["schemas"], result["schemas"]));
    }

    [Fact]
    public void No_path_value_may_nest_extension_attributes_under_the_urn()
    {
        var result = PatchUser(Barbara(), $$$"""
            {"op":"replace","value":{"{{{EnterpriseUrn}}}":{"department":"Sales","Manager":"m2","unknownThing":1} } }
            """);

        Assert.Equal("Sales", (string)Enterprise(result)!["department"]!);
        Assert.Equal("""{"value":"m2"}""", Enterprise(result)!["manager"]!.ToJsonString());
        Assert.Null(Enterprise(result)!["unknownThing"]);
    }

    [Fact]
    public void No_path_value_may_nest_core_attributes_under_the_core_urn()
    {
        var result = PatchUser(Barbara(), """
            {"op":"replace","value":{"urn:ietf:params:scim:schemas:core:2.0:User":{"title":"Boss","name":{"middleName":"Q"}}}}
            """);

        Assert.Equal("Boss", (string)result["title"]!);
        Assert.Equal("Q", (string)result["name"]!["middleName"]!);
        Assert.Equal("Barbara", (string)result["name"]!["givenName"]!);
    }

    [Fact]
    public void Extension_urn_set_to_null_unassigns_its_attributes()
    {
        var result = PatchUser(Barbara(), $$$"""{"op":"replace","value":{"{{{EnterpriseUrn}}}":null}}""");

        Assert.Null(result[EnterpriseUrn]);
        Assert.DoesNotContain(EnterpriseUrn, result["schemas"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public void Okta_put_style_echo_of_read_only_and_unknown_attributes_in_a_no_path_value_is_ignored()
    {
        var user = Barbara();

        var result = PatchUser(user, """
            {"op":"replace","value":{
              "id":"something-else","meta":{"created":"04-12-2018 00:00:00"},"schemas":["x"],
              "groups":[],"roles2":["x"],"urn:example:unknown":{"a":1},"favouriteColour":"blue",
              "displayName":"Babs"}}
            """);

        Assert.Equal("Babs", (string)result["displayName"]!);
        result["displayName"] = "Babs Jensen";
        Assert.True(JsonNode.DeepEquals(user, result));
    }
}
