using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Patching;
using Roster.Scim.Schema;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Patching;

public class PatchRequestTests
{
    static PatchRequest Parse(string body) => PatchRequest.Parse(JsonNode.Parse(body), User);

    static ScimException Invalid(string body) => Assert.Throws<ScimException>(() => Parse(body));

    [Fact]
    public void Entra_capitalised_op_names_are_accepted()
    {
        var request = Parse(PatchBody(
            """{"op":"Add","path":"title","value":"x"}""",
            """{"op":"Replace","path":"active","value":"False"}""",
            """{"op":"Remove","path":"nickName"}"""));

        Assert.Equal([PatchOperationType.Add, PatchOperationType.Replace, PatchOperationType.Remove],
            request.Operations.Select(o => o.Type).ToArray());
        Assert.Equal([0, 1, 2], request.Operations.Select(o => o.Index).ToArray());
        Assert.Equal("active", request.Operations[1].Path!.Attribute.AttributeName);
    }

    [Fact]
    public void Member_names_are_matched_in_any_case()
    {
        var request = Parse("""
            {"Schemas":["urn:ietf:params:scim:api:messages:2.0:patchop"],
             "operations":[{"OP":"replace","Path":"title","Value":"Boss"}]}
            """);

        var operation = Assert.Single(request.Operations);
        Assert.Equal("title", operation.Path!.Attribute.AttributeName);
        Assert.Equal("Boss", (string)operation.Value!);
    }

    [Fact]
    public void Empty_path_means_no_path()
    {
        var operation = Assert.Single(Parse(PatchBody("""{"op":"replace","path":"","value":{"active":false}}""")).Operations);

        Assert.Null(operation.Path);
    }

    [Theory]
    [InlineData("[]", "The PATCH body must be a JSON object")]
    [InlineData("""{"Operations":[{"op":"add","path":"title","value":"x"}]}""", "The PATCH body's 'schemas' must contain")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[{"op":"add","path":"title","value":"x"}]}""", "The PATCH body's 'schemas' must contain")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""", "The PATCH body must have an 'Operations' array")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{}}""", "The PATCH body must have an 'Operations' array")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}""", "The PATCH body's 'Operations' array must contain at least one operation")]
    public void Malformed_messages_are_invalid_syntax(string body, string expectedStart)
    {
        var error = Invalid(body);

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
        Assert.StartsWith(expectedStart, error.Detail);
    }

    [Theory]
    [InlineData("""{"op":"update","path":"title","value":"x"}""", ScimErrorType.InvalidSyntax, "Operations[1]: 'op' must be add, replace or remove; got \"update\"")]
    [InlineData("""{"path":"title","value":"x"}""", ScimErrorType.InvalidSyntax, "Operations[1]: 'op' must be add, replace or remove; it is missing")]
    [InlineData("""{"op":3,"path":"title","value":"x"}""", ScimErrorType.InvalidSyntax, "Operations[1]: 'op' must be add, replace or remove; got 3")]
    [InlineData("\"add\"", ScimErrorType.InvalidSyntax, "Operations[1]: each operation must be a JSON object")]
    [InlineData("""{"op":"remove"}""", ScimErrorType.NoTarget, "Operations[1]: remove requires a path")]
    [InlineData("""{"op":"add","path":"title"}""", ScimErrorType.InvalidValue, "Operations[1]: 'add' requires a 'value'")]
    [InlineData("""{"op":"replace","value":"x"}""", ScimErrorType.InvalidValue, "Operations[1]: 'replace' without a 'path' requires a 'value' that is an object")]
    [InlineData("""{"op":"replace","value":null}""", ScimErrorType.InvalidValue, "Operations[1]: 'replace' without a 'path'")]
    [InlineData("""{"op":"replace","path":5,"value":"x"}""", ScimErrorType.InvalidPath, "Operations[1]: 'path' must be a string")]
    [InlineData("""{"op":"replace","path":"titel","value":"x"}""", ScimErrorType.InvalidPath, "Operations[1]: Unknown attribute 'titel' at position 0")]
    [InlineData("""{"op":"remove","path":"emails[type eq \"work\""}""", ScimErrorType.InvalidPath, "Operations[1]: Unexpected end of path at position 21")]
    public void Malformed_operations_name_their_index(string operation, string scimType, string expectedStart)
    {
        var error = Invalid(PatchBody("""{"op":"add","path":"title","value":"ok"}""", operation));

        Assert.Equal(scimType, error.ScimType);
        Assert.Equal(400, error.Status);
        Assert.StartsWith(expectedStart, error.Detail);
    }

    [Fact]
    public void Explicit_null_value_is_kept_as_unassign()
    {
        var operation = Assert.Single(Parse(PatchBody("""{"op":"replace","path":"title","value":null}""")).Operations);

        Assert.Null(operation.Value);
        Assert.Equal(PatchOperationType.Replace, operation.Type);
    }

    [Fact]
    public void Parsing_does_not_depend_on_the_body_afterwards()
    {
        var body = JsonNode.Parse(PatchBody("""{"op":"replace","path":"title","value":"Boss"}"""));
        var request = PatchRequest.Parse(body, User);

        var first = PatchEngine.Apply(Barbara(), request, User);
        var second = PatchEngine.Apply(Barbara(), request, User);

        Assert.Equal("Boss", (string)first["title"]!);
        Assert.True(JsonNode.DeepEquals(first, second));
        Assert.Equal("Boss", (string)body!["Operations"]![0]!["value"]!);
    }
}
