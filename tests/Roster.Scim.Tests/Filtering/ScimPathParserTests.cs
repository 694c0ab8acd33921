using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Filtering;

public class ScimPathParserTests
{
    static ScimException Invalid(string text, ResourceTypeDefinition? type = null)
    {
        var error = Assert.Throws<ScimException>(() => ScimPathParser.Parse(text, type ?? User));
        Assert.Equal(ScimErrorType.InvalidPath, error.ScimType);
        return error;
    }

    [Fact]
    public void Plain_attribute()
    {
        var path = ScimPathParser.Parse("userName", User);

        Assert.Equal("userName", path.Attribute.AttributeName);
        Assert.Null(path.ValueFilter);
        Assert.Null(path.SubAttribute);
    }

    [Fact]
    public void Sub_attribute()
    {
        var path = ScimPathParser.Parse("name.familyName", User);

        Assert.Equal("familyName", path.Target.Name);
        Assert.Null(path.ValueFilter);
    }

    [Fact]
    public void Value_filter()
    {
        var path = ScimPathParser.Parse("members[value eq \"2819c223-7f76-453a-919d-413861904646\"]", Team);

        Assert.Equal("members", path.Attribute.AttributeName);
        var comparison = Assert.IsType<ComparisonFilter>(path.ValueFilter);
        Assert.Equal("value", comparison.Path.AttributeName);
        Assert.True(comparison.CaseExact);
        Assert.Null(path.SubAttribute);
    }

    [Fact]
    public void Value_filter_with_sub_attribute()
    {
        var path = ScimPathParser.Parse("emails[type eq \"work\"].value", User);

        Assert.Equal("emails", path.Attribute.AttributeName);
        Assert.NotNull(path.ValueFilter);
        Assert.Equal("value", path.SubAttribute?.Name);
        Assert.Equal("emails[type eq \"work\"].value", path.ToString());
    }

    [Fact]
    public void Urn_qualified_extension_attribute()
    {
        var path = ScimPathParser.Parse($"{EnterpriseUrn}:manager", User);

        Assert.True(path.Attribute.IsExtension);
        Assert.Same(ScimSchemas.EnterpriseUser.FindAttribute("manager"), path.Attribute.Attribute);
    }

    [Fact]
    public void Urn_qualified_value_filter_path()
    {
        var path = ScimPathParser.Parse("urn:ietf:params:scim:schemas:core:2.0:User:addresses[type eq \"work\"].streetAddress", User);

        Assert.Equal("addresses", path.Attribute.AttributeName);
        Assert.Equal("streetAddress", path.SubAttribute?.Name);
    }

    [Fact]
    public void Names_are_case_insensitive()
    {
        var path = ScimPathParser.Parse("EMAILS[TYPE EQ \"work\"].VALUE", User);

        Assert.Equal("emails[type eq \"work\"].value", path.ToString());
    }

    [Theory]
    [InlineData("emails[type eq \"work\"", "Unexpected end of path at position 21: expected ']'")]
    [InlineData("emails[type eq \"work\"] x", "Unexpected token 'x' at position 23: expected '.subAttribute' or the end of the path")]
    [InlineData("userName x", "Unexpected token 'x' at position 9: expected '[' or the end of the path")]
    [InlineData("emails[type eq \"work\"].kind", "Unknown sub-attribute 'kind' of 'emails' at position 23")]
    [InlineData("nickname2", "Unknown attribute 'nickname2' at position 0")]
    [InlineData("name[givenName eq \"x\"]", "A value filter at position 4 needs a multi-valued complex attribute")]
    [InlineData("emails.value[type eq \"work\"]", "A value filter at position 12 needs a multi-valued complex attribute")]
    [InlineData("emails[type eq \"work\" and display[value pr]]", "A value filter cannot contain another value filter")]
    [InlineData("[type eq \"work\"]", "Unexpected token '[' at position 0: expected an attribute path")]
    [InlineData("emails[type eq]", "Unexpected token ']' at position 14: expected a value")]
    public void Errors_are_invalid_path_with_position(string text, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Invalid(text).Detail);
    }

    [Fact]
    public void Try_parse_answers_false_for_unknown_attributes()
    {
        Assert.False(ScimPathParser.TryParse("roles2", User, out var path));
        Assert.Null(path);
        Assert.True(ScimPathParser.TryParse("name.givenName", User, out path));
        Assert.Equal("givenName", path.Target.Name);
    }
}
