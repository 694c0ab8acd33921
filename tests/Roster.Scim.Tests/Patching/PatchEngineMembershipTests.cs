using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Patching;

/// <summary>Group membership as Okta and Entra ID change it (idp-behaviors.md §1.3, §2.2, §2.3, §2.4), on the
/// test-only <see cref="Fixtures.Team"/> type, whose <c>members</c> has the RFC 7643 Group shape.</summary>
public class PatchEngineMembershipTests
{
    static JsonObject PatchTeam(JsonObject team, params string[] operations) => Patch(team, Fixtures.Team, operations);

    const string U1 = "23a35c27-23d3-4c03-b4c5-6443c09e7173";
    const string U2 = "89bb1940-b905-4575-9e7f-6f887cfb368e";

    [Fact]
    public void Okta_add_members()
    {
        var result = PatchTeam(TeamResource(), $$"""{"op":"add","path":"members","value":[{"value":"{{U1}}","display":"test.user@okta.local"}]}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""[{"value":"{{U1}}","display":"test.user@okta.local"}]"""), result["members"]));
    }

    [Fact]
    public void Okta_push_removes_one_member_by_filter_and_adds_another()
    {
        var team = TeamResource($$"""[{"value":"{{U2}}"}]""");

        var result = PatchTeam(team,
            $$"""{"op":"remove","path":"members[value eq \"{{U2}}\"]"}""",
            $$"""{"op":"add","path":"members","value":[{"value":"{{U1}}","display":"test.user@okta.local"}]}""");

        Assert.Equal([U1], Values(result, "members"));
    }

    [Fact]
    public void Filter_removal_matches_member_ids_case_exactly()
    {
        var team = TeamResource($$"""[{"value":"{{U2}}"}]""");

        var result = PatchTeam(team, $$"""{"op":"remove","path":"members[value eq \"{{U2.ToUpperInvariant()}}\"]"}""");

        Assert.Equal([U2], Values(result, "members"));
    }

    [Fact]
    public void Removing_the_last_member_leaves_no_members_attribute()
    {
        var result = PatchTeam(TeamResource($$"""[{"value":"{{U1}}"}]"""), $$"""{"op":"remove","path":"members[value eq \"{{U1}}\"]"}""");

        Assert.Null(result["members"]);
        Assert.Equal("Test SCIMv2", (string)result["displayName"]!);
    }

    [Fact]
    public void Removing_a_member_that_is_not_there_is_not_an_error()
    {
        var team = TeamResource($$"""[{"value":"{{U1}}"}]""");

        var result = PatchTeam(team, $$"""{"op":"remove","path":"members[value eq \"{{U2}}\"]"}""");

        Assert.True(JsonNode.DeepEquals(team, result));
    }

    [Fact]
    public void Okta_rename_carries_the_id_and_leaves_members_alone()
    {
        var team = TeamResource($$"""[{"value":"{{U1}}"}]""");

        var result = PatchTeam(team, """{"op":"replace","value":{"id":"abf4dd94-a4c0-4f67-89c9-76b03340cb9b","displayName":"Renamed"}}""");

        Assert.Equal("Renamed", (string)result["displayName"]!);
        Assert.Equal("abf4dd94-a4c0-4f67-89c9-76b03340cb9b", (string)result["id"]!);
        Assert.Equal([U1], Values(result, "members"));
    }

    [Fact]
    public void Okta_and_validator_replace_all_members()
    {
        var team = TeamResource($$"""[{"value":"{{U1}}"},{"value":"old"}]""");

        var result = PatchTeam(team, $$"""{"op":"replace","path":"members","value":[{"value":"{{U2}}"},{"value":"third","display":"Third"}]}""");

        Assert.Equal([U2, "third"], Values(result, "members"));
    }

    [Fact]
    public void Replacing_members_with_an_empty_array_removes_them_all()
    {
        var result = PatchTeam(TeamResource($$"""[{"value":"{{U1}}"}]"""), """{"op":"replace","path":"members","value":[]}""");

        Assert.Null(result["members"]);
    }

    [Fact]
    public void Entra_add_with_null_ref_stores_no_ref()
    {
        var result = PatchTeam(TeamResource(), """{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}""");

        Assert.Equal("""[{"value":"f648f8d5ea4e4cd38e9c"}]""", result["members"]!.ToJsonString());
    }

    [Fact]
    public void Entra_adds_several_members_in_one_operation()
    {
        var result = PatchTeam(TeamResource(), """
            {"op":"Add","path":"members","value":[{"$ref":null,"value":"a"},{"$ref":null,"value":"b"},{"$ref":null,"value":"c"}]}
            """);

        Assert.Equal(["a", "b", "c"], Values(result, "members"));
    }

    [Fact]
    public void Entra_legacy_remove_lists_members_in_the_value()
    {
        var team = TeamResource("""[{"value":"a"},{"value":"f648f8d5ea4e4cd38e9c","display":"x"},{"value":"c"}]""");

        var result = PatchTeam(team, """{"op":"Remove","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"},{"value":"c"}]}""");

        Assert.Equal(["a"], Values(result, "members"));
    }

    [Fact]
    public void Remove_of_members_without_value_removes_all_of_them()
    {
        var result = PatchTeam(TeamResource("""[{"value":"a"},{"value":"b"}]"""), """{"op":"remove","path":"members"}""");

        Assert.Null(result["members"]);
    }

    [Fact]
    public void Adding_a_member_twice_keeps_one()
    {
        var team = TeamResource($$"""[{"value":"{{U1}}","display":"first"}]""");

        var result = PatchTeam(team,
            $$"""{"op":"add","path":"members","value":[{"value":"{{U1}}","display":"second"}]}""",
            $$"""{"op":"Add","path":"members","value":[{"$ref":null,"value":"{{U1}}"},{"value":"{{U1}}"}]}""");

        Assert.True(JsonNode.DeepEquals(team["members"], result["members"]));
    }

    [Fact]
    public void Add_then_remove_of_the_same_member_in_one_request_ends_without_it()
    {
        var team = TeamResource("""[{"value":"keep"}]""");

        var result = PatchTeam(team,
            $$"""{"op":"add","path":"members","value":[{"value":"{{U1}}"}]}""",
            $$"""{"op":"remove","path":"members[value eq \"{{U1}}\"]"}""");

        Assert.Equal(["keep"], Values(result, "members"));
    }

    [Fact]
    public void Remove_then_add_of_the_same_member_in_one_request_ends_with_it()
    {
        var result = PatchTeam(TeamResource($$"""[{"value":"{{U1}}"}]"""),
            $$"""{"op":"remove","path":"members[value eq \"{{U1}}\"]"}""",
            $$"""{"op":"add","path":"members","value":{"value":"{{U1}}"} }""");

        Assert.Equal([U1], Values(result, "members"));
    }

    [Fact]
    public void Add_accepts_a_single_member_object_instead_of_an_array()
    {
        var result = PatchTeam(TeamResource("""[{"value":"a"}]"""), """{"op":"add","path":"members","value":{"value":"b"}}""");

        Assert.Equal(["a", "b"], Values(result, "members"));
    }

    [Fact]
    public void Members_with_an_empty_value_name_nobody_and_are_not_added()
    {
        var result = PatchTeam(TeamResource("""[{"value":"a"}]"""), """{"op":"add","path":"members","value":[{"value":""},{"value":"","display":"ghost"}]}""");

        Assert.Equal(["a"], Values(result, "members"));
    }

    [Fact]
    public void Member_display_can_be_changed_through_a_filter_but_not_its_immutable_value()
    {
        var team = TeamResource("""[{"value":"a","display":"old"}]""");

        var renamed = PatchTeam(team, """{"op":"replace","path":"members[value eq \"a\"].display","value":"new"}""");
        var error = Assert.Throws<ScimException>(() =>
            PatchTeam(team, """{"op":"replace","path":"members[value eq \"a\"]","value":{"value":"b"}}"""));

        Assert.Equal("new", (string)renamed["members"]![0]!["display"]!);
        Assert.Equal(ScimErrorType.Mutability, error.ScimType);
        Assert.StartsWith("Operations[0]: 'members[value eq \"a\"].value' is immutable", error.Detail);
    }
}
