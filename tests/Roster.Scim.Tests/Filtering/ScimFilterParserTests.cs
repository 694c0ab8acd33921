using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Filtering;

public class ScimFilterParserTests
{
    static ScimFilter Parse(string text) => ScimFilterParser.Parse(text, User);

    static ScimException Invalid(string text)
    {
        var error = Assert.Throws<ScimException>(() => Parse(text));
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Equal(400, error.Status);
        return error;
    }

    [Theory]
    [InlineData("eq", ComparisonOperator.Equal)]
    [InlineData("ne", ComparisonOperator.NotEqual)]
    [InlineData("co", ComparisonOperator.Contains)]
    [InlineData("sw", ComparisonOperator.StartsWith)]
    [InlineData("ew", ComparisonOperator.EndsWith)]
    [InlineData("gt", ComparisonOperator.GreaterThan)]
    [InlineData("ge", ComparisonOperator.GreaterThanOrEqual)]
    [InlineData("lt", ComparisonOperator.LessThan)]
    [InlineData("le", ComparisonOperator.LessThanOrEqual)]
    [InlineData("EQ", ComparisonOperator.Equal)]
    [InlineData("Sw", ComparisonOperator.StartsWith)]
    public void Each_comparison_operator_is_parsed_case_insensitively(string op, ComparisonOperator expected)
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse($"userName {op} \"bjensen\""));

        Assert.Equal(expected, filter.Operator);
        Assert.Same(ScimSchemas.User.FindAttribute("userName"), filter.Path.Attribute);
        Assert.Equal(new StringLiteral("bjensen"), filter.Value);
        Assert.False(filter.CaseExact);
    }

    [Theory]
    [InlineData("title pr")]
    [InlineData("title PR")]
    public void Present_is_parsed(string text)
    {
        var filter = Assert.IsType<PresentFilter>(Parse(text));
        Assert.Equal("title", filter.Path.AttributeName);
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var filter = Parse("title pr or userName eq \"a\" and displayName eq \"b\"");

        Assert.Equal("(title pr or (userName eq \"a\" and displayName eq \"b\"))", filter.ToString());
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var filter = Parse("(title pr or userName eq \"a\") and displayName eq \"b\"");

        var and = Assert.IsType<LogicalFilter>(filter);
        Assert.Equal(LogicalOperator.And, and.Operator);
        Assert.Equal(LogicalOperator.Or, Assert.IsType<LogicalFilter>(and.Left).Operator);
    }

    [Fact]
    public void Logical_operators_are_case_insensitive_and_left_associative()
    {
        var filter = Parse("title pr AND userName pr And nickName pr OR displayName pr");

        Assert.Equal("(((title pr and userName pr) and nickName pr) or displayName pr)", filter.ToString());
    }

    [Fact]
    public void Not_binds_tighter_than_and()
    {
        var filter = Parse("not (title pr) and NOT(userName eq \"x\")");

        var and = Assert.IsType<LogicalFilter>(filter);
        Assert.IsType<PresentFilter>(Assert.IsType<NotFilter>(and.Left).Operand);
        Assert.IsType<ComparisonFilter>(Assert.IsType<NotFilter>(and.Right).Operand);
    }

    [Fact]
    public void Value_path_filters_resolve_their_paths_relative_to_the_element()
    {
        var filter = Assert.IsType<ValuePathFilter>(Parse("emails[type eq \"work\" and value co \"@acme.com\"]"));

        Assert.Equal("emails", filter.Path.AttributeName);
        var and = Assert.IsType<LogicalFilter>(filter.Filter);
        var type = Assert.IsType<ComparisonFilter>(and.Left);
        Assert.Equal("type", type.Path.AttributeName);
        Assert.Same(ScimSchemas.User.FindAttribute("emails"), type.Path.Parent);
        Assert.Equal(ComparisonOperator.Contains, Assert.IsType<ComparisonFilter>(and.Right).Operator);
    }

    [Fact]
    public void Value_paths_combine_with_logical_operators()
    {
        var filter = Parse("emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]");

        var or = Assert.IsType<LogicalFilter>(filter);
        Assert.Equal("ims", Assert.IsType<ValuePathFilter>(or.Right).Path.AttributeName);
    }

    [Fact]
    public void Entra_value_path_with_sub_attribute_comparison_becomes_one_value_path()
    {
        var filter = Assert.IsType<ValuePathFilter>(Parse("emails[type eq \"work\"].value eq \"user@contoso.com\""));

        Assert.Equal("emails[(type eq \"work\" and value eq \"user@contoso.com\")]", filter.ToString());
    }

    [Fact]
    public void Extension_attributes_are_found_by_urn()
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse($"{EnterpriseUrn}:employeeNumber eq \"701984\""));

        Assert.Same(ScimSchemas.EnterpriseUser, filter.Path.Schema);
        Assert.Equal(EnterpriseUrn, filter.Path.SchemaUrn);
        Assert.True(filter.Path.IsExtension);
        Assert.Equal("employeeNumber", filter.Path.AttributeName);
    }

    [Fact]
    public void Extension_attributes_are_found_unqualified()
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse("manager.value eq \"m1\""));

        Assert.Same(ScimSchemas.EnterpriseUser, filter.Path.Schema);
        Assert.Null(filter.Path.SchemaUrn);
        Assert.True(filter.Path.IsExtension);
        Assert.Equal($"{EnterpriseUrn}:manager.value", filter.Path.ToString());
    }

    [Fact]
    public void Core_urn_qualified_paths_resolve_to_the_core_schema()
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq \"Barbara\""));

        Assert.Same(ScimSchemas.User, filter.Path.Schema);
        Assert.False(filter.Path.IsExtension);
        Assert.Equal("name", filter.Path.AttributeName);
        Assert.Equal("givenName", filter.Path.SubAttributeName);
    }

    [Fact]
    public void Names_and_urns_are_case_insensitive_and_reported_canonically()
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME eq \"x\""));

        Assert.Equal("userName", filter.Path.AttributeName);
        Assert.Equal(ScimSchemas.UserUrn, filter.Path.SchemaUrn);
        Assert.Equal("name.givenName", Assert.IsType<PresentFilter>(Parse("NAME.GIVENNAME pr")).Path.ToString());
    }

    [Fact]
    public void Common_attributes_have_no_schema()
    {
        var id = Assert.IsType<ComparisonFilter>(Parse("id eq \"2819c223\""));
        var modified = Assert.IsType<ComparisonFilter>(Parse("meta.lastModified gt \"2011-05-13T04:42:34Z\""));

        Assert.Null(id.Path.Schema);
        Assert.True(id.CaseExact);
        Assert.Null(modified.Path.Schema);
        Assert.Equal("lastModified", modified.Path.SubAttributeName);
    }

    [Fact]
    public void Case_exactness_comes_from_the_attribute_definition()
    {
        Assert.True(Assert.IsType<ComparisonFilter>(Parse("externalId eq \"x\"")).CaseExact);
        Assert.False(Assert.IsType<ComparisonFilter>(Parse("emails.value eq \"x\"")).CaseExact);
        var members = Assert.IsType<ValuePathFilter>(ScimFilterParser.Parse("members[value eq \"x\"]", Team));
        Assert.True(Assert.IsType<ComparisonFilter>(members.Filter).CaseExact);
    }

    [Fact]
    public void String_literals_honour_json_escapes()
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse("displayName eq \"a\\\"b\\\\c\\u00e9\\/\\n\""));

        Assert.Equal(new StringLiteral("a\"b\\cé/\n"), filter.Value);
    }

    [Theory]
    [InlineData("active eq true", true)]
    [InlineData("active eq FALSE", false)]
    [InlineData("active eq \"True\"", true)]
    public void Boolean_literals_are_coerced_for_boolean_attributes(string text, bool expected)
    {
        Assert.Equal(new BooleanLiteral(expected), Assert.IsType<ComparisonFilter>(Parse(text)).Value);
    }

    [Theory]
    [InlineData("priority gt 10", 10)]
    [InlineData("priority le -3", -3)]
    [InlineData("weight ge 1.5", 1.5)]
    [InlineData("weight lt 2.5e2", 250)]
    public void Numbers_are_parsed_for_numeric_attributes(string text, double expected)
    {
        var filter = Assert.IsType<ComparisonFilter>(ScimFilterParser.Parse(text, Team));

        Assert.Equal((decimal)expected, Assert.IsType<NumberLiteral>(filter.Value).Value);
    }

    [Fact]
    public void A_number_for_a_string_attribute_is_compared_as_its_text()
    {
        var filter = Assert.IsType<ComparisonFilter>(Parse("externalId eq 12345"));

        Assert.Equal(new StringLiteral("12345"), filter.Value);
    }

    [Fact]
    public void Null_literal_is_allowed_with_eq_and_ne()
    {
        Assert.Same(NullLiteral.Instance, Assert.IsType<ComparisonFilter>(Parse("title eq null")).Value);
        Assert.Same(NullLiteral.Instance, Assert.IsType<ComparisonFilter>(Parse("title ne NULL")).Value);
        Assert.Contains("only eq and ne", Invalid("title gt null").Detail);
    }

    [Fact]
    public void Comparing_a_multi_valued_complex_attribute_directly_compares_its_value()
    {
        // RFC 7644 §3.4.2.2 gives `emails co "example.com"` as an example.
        var filter = Assert.IsType<ComparisonFilter>(Parse("emails co \"example.com\""));

        Assert.Equal("emails.value", filter.Path.ToString());
    }

    [Fact]
    public void Comparing_a_single_valued_complex_attribute_is_invalid()
    {
        var error = Invalid("name eq \"x\"");

        Assert.Contains("'name' is complex", error.Detail);
    }

    [Fact]
    public void Whitespace_between_tokens_is_free()
    {
        Assert.Equal("(userName eq \"a\" and title pr)", Parse("  userName   eq\t\"a\"  and title pr ").ToString());
    }

    [Theory]
    [InlineData("userName eq \"a\"")]
    [InlineData("(title pr or not ((userName sw \"a\" and emails[type eq \"work\" or primary eq true])))")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"x\\\"y\"")]
    [InlineData("meta.lastModified ge \"2011-05-13T04:42:34Z\"")]
    public void Canonical_text_parses_back_to_the_same_tree(string text)
    {
        var filter = Parse(text);

        Assert.Equal(filter, Parse(filter.ToString()));
    }

    [Fact]
    public void Error_names_the_position_and_what_was_expected()
    {
        var error = Invalid("displayName \"x\"");

        Assert.StartsWith("Unexpected token '\"x\"' at position 12: expected a comparison operator", error.Detail);
    }

    [Theory]
    [InlineData("userName eq", "Unexpected end of filter at position 11: expected a value")]
    [InlineData("userName eq bjensen", "Unexpected token 'bjensen' at position 12: expected a value")]
    [InlineData("userName eq \"a\" and", "Unexpected end of filter at position 19: expected an attribute path")]
    [InlineData("userName eq \"a\" title pr", "Unexpected token 'title' at position 16: expected 'and', 'or' or the end of the filter")]
    [InlineData("(userName pr", "Unexpected end of filter at position 12: expected ')'")]
    [InlineData("userName pr)", "Unmatched ')' at position 11: there is no '(' to close")]
    [InlineData("not userName pr", "Unexpected token 'userName' at position 4: expected '(' after 'not'")]
    [InlineData("emails[type eq \"work\"", "Unexpected end of filter at position 21: expected ']'")]
    [InlineData("userName eq \"abc", "Unterminated string starting at position 12")]
    [InlineData("userName eq \"a\\qb\"", "Invalid escape sequence '\\q' at position 14")]
    [InlineData("userName eq \"a\\u12\"", "Invalid escape sequence at position 14")]
    [InlineData("userName eq 01", "Unexpected token '01' at position 12: expected a value")]
    [InlineData("and eq \"x\"", "Unknown attribute 'and' at position 0")]
    public void Syntax_errors_say_where_and_what(string text, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Invalid(text).Detail);
    }

    [Theory]
    [InlineData("nickname2 eq \"x\"", "Unknown attribute 'nickname2' at position 0")]
    [InlineData("name.middle eq \"x\"", "Unknown sub-attribute 'middle' of 'name' at position 5")]
    [InlineData("userName.value eq \"x\"", "Attribute 'userName' has no sub-attributes")]
    [InlineData("urn:example:unknown:2.0:User:foo eq \"x\"", "Unknown attribute 'urn:example:unknown:2.0:User:foo' at position 0")]
    [InlineData("title pr and emails[kind eq \"work\"]", "Unknown sub-attribute 'kind' of 'emails' at position 20")]
    [InlineData(EnterpriseUrn + ":userName eq \"x\"", "Unknown attribute 'userName' at position 0: schema 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' has no such attribute")]
    public void Unknown_attributes_are_named(string text, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Invalid(text).Detail);
    }

    [Theory]
    [InlineData("emails[type eq \"work\" and display[value pr]]", "A value filter cannot contain another value filter")]
    [InlineData("emails[emails.type eq \"work\"]", "Expected a sub-attribute of 'emails' at position 7")]
    [InlineData("userName[value eq \"x\"]", "A value filter at position 8 needs a complex attribute")]
    [InlineData("active gt true", "Operator 'gt' at position 7 cannot be applied to boolean attribute 'active'")]
    [InlineData("active co \"t\"", "Operator 'co' at position 7 cannot be applied to boolean attribute 'active'")]
    [InlineData("active eq \"yes\"", "Value '\"yes\"' at position 10 does not fit boolean attribute 'active'")]
    [InlineData("userName eq true", "Value 'true' at position 12 does not fit string attribute 'userName'")]
    [InlineData("meta.created gt \"last tuesday\"", "Value \"last tuesday\" at position 16 is not a valid dateTime")]
    [InlineData("meta.created gt 5", "Value '5' at position 16 does not fit datetime attribute 'meta.created'")]
    [InlineData("x509Certificates.value gt \"AAAA\"", "Operator 'gt' at position 23 cannot be applied to binary attribute")]
    public void Semantic_errors_are_invalid_filters(string text, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Invalid(text).Detail);
    }

    [Theory]
    [InlineData("priority co 1", "Operator 'co' at position 9 cannot be applied to numeric attribute 'priority'")]
    [InlineData("priority eq \"1\"", "Value '\"1\"' at position 12 does not fit integer attribute 'priority'")]
    [InlineData("priority eq 1e99999", "Number 1e99999 at position 12 is out of range")]
    public void Numeric_attributes_need_numbers(string text, string expectedStart)
    {
        var error = Assert.Throws<ScimException>(() => ScimFilterParser.Parse(text, Team));

        Assert.StartsWith(expectedStart, error.Detail);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        var depth = ScimFilterParser.MaxDepth;
        var text = new string('(', depth) + "title pr" + new string(')', depth);

        Assert.IsType<PresentFilter>(Parse(text));
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused_not_a_stack_overflow()
    {
        var text = string.Concat(Enumerable.Repeat("not (", 10_000)) + "title pr" + new string(')', 10_000);

        var error = Invalid(text[..ScimFilterParser.MaxLength]);

        Assert.Contains($"nests deeper than {ScimFilterParser.MaxDepth} levels", error.Detail);
    }

    [Fact]
    public void Overlong_filters_are_refused()
    {
        var text = "title eq \"" + new string('a', ScimFilterParser.MaxLength) + "\"";

        Assert.Contains($"at most {ScimFilterParser.MaxLength} are accepted", Invalid(text).Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_filters_are_refused(string text)
    {
        Assert.Equal("The filter is empty", Invalid(text).Detail);
    }

    [Fact]
    public void Long_or_chains_within_the_length_limit_parse()
    {
        var text = string.Join(" or ", Enumerable.Range(0, 200).Select(i => $"id eq \"{i}\""));

        var filter = Parse(text);

        Assert.True(ScimFilterEvaluator.Matches(Fixtures.Parse("""{"id":"199"}"""), filter));
        Assert.False(ScimFilterEvaluator.Matches(Fixtures.Parse("""{"id":"200"}"""), filter));
    }
}
