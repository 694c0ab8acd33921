using System.Text.Json.Nodes;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;
using static Roster.Scim.Tests.Fixtures;

namespace Roster.Scim.Tests.Filtering;

public class ScimFilterEvaluatorTests
{
    static bool Matches(JsonNode? resource, string filter, ResourceTypeDefinition? type = null) =>
        ScimFilterEvaluator.Matches(resource, ScimFilterParser.Parse(filter, type ?? User));

    [Theory]
    [InlineData("userName eq \"bjensen@example.com\"", true)]
    [InlineData("userName eq \"BJENSEN@EXAMPLE.COM\"", true)]
    [InlineData("userName eq \"bjensen\"", false)]
    [InlineData("userName ne \"bjensen\"", true)]
    [InlineData("userName ne \"BJensen@Example.com\"", false)]
    [InlineData("userName co \"JENSEN@\"", true)]
    [InlineData("userName sw \"BJ\"", true)]
    [InlineData("userName sw \"jensen\"", false)]
    [InlineData("userName ew \".COM\"", true)]
    [InlineData("userName ew \".org\"", false)]
    public void Strings_compare_case_insensitively_unless_case_exact(string filter, bool expected)
    {
        Assert.Equal(expected, Matches(Barbara(), filter));
    }

    [Theory]
    [InlineData("id eq \"2819c223-7f76-453a-919d-413861904646\"", true)]
    [InlineData("id eq \"2819C223-7F76-453A-919D-413861904646\"", false)]
    [InlineData("externalId eq \"00UJL29U0LE5T6AJ10H7\"", false)]
    [InlineData("externalId eq \"00ujl29u0le5T6Aj10h7\"", true)]
    public void Case_exact_attributes_compare_exactly(string filter, bool expected)
    {
        Assert.Equal(expected, Matches(Barbara(), filter));
    }

    [Theory]
    [InlineData("title gt \"Tour\"", true)]
    [InlineData("title gt \"tour guide\"", false)]
    [InlineData("title ge \"tour guide\"", true)]
    [InlineData("title lt \"U\"", true)]
    [InlineData("title le \"Tour Guidf\"", true)]
    [InlineData("title lt \"Tour Guide\"", false)]
    public void String_ordering_is_ordinal_and_follows_case_exactness(string filter, bool expected)
    {
        Assert.Equal(expected, Matches(Barbara(), filter));
    }

    [Fact]
    public void Multi_valued_attributes_match_when_any_value_matches()
    {
        var user = Barbara();

        Assert.True(Matches(user, "emails.value ew \"jensen.org\""));
        Assert.True(Matches(user, "emails.type eq \"home\""));
        Assert.True(Matches(user, "emails co \"@example.com\""));
        // ne asks whether some value differs: the home email's type is not "work".
        Assert.True(Matches(user, "emails.type ne \"work\""));
        Assert.False(Matches(user, "emails.type eq \"other\""));
    }

    [Fact]
    public void Value_filters_require_one_element_to_satisfy_every_condition()
    {
        var user = Parse("""
            {"emails": [ {"value": "a@acme.com", "type": "home"}, {"value": "a@other.com", "type": "work"} ]}
            """);

        // Both conditions hold, but on different elements.
        Assert.True(Matches(user, "emails.type eq \"work\" and emails.value co \"@acme.com\""));
        Assert.False(Matches(user, "emails[type eq \"work\" and value co \"@acme.com\"]"));
        Assert.True(Matches(user, "emails[type eq \"home\" and value co \"@ACME.com\"]"));
        Assert.True(Matches(user, "emails[type eq \"work\"].value eq \"a@other.com\""));
        Assert.False(Matches(user, "emails[type eq \"home\"].value eq \"a@other.com\""));
    }

    [Fact]
    public void Value_filters_apply_to_a_single_complex_attribute_as_one_element()
    {
        Assert.True(Matches(Barbara(), "name[givenName eq \"barbara\" and familyName pr]"));
        Assert.False(Matches(Barbara(), "name[givenName eq \"barbara\" and middleName pr]"));
    }

    [Theory]
    [InlineData("""{"title": "x"}""", true)]
    [InlineData("""{"title": ""}""", false)]
    [InlineData("""{"title": null}""", false)]
    [InlineData("""{}""", false)]
    public void Present_needs_a_non_empty_value(string json, bool expected)
    {
        Assert.Equal(expected, Matches(Parse(json), "title pr"));
    }

    [Theory]
    [InlineData("""{"emails": [{"value": "a@b.c"}]}""", true)]
    [InlineData("""{"emails": []}""", false)]
    [InlineData("""{"emails": [{}]}""", false)]
    [InlineData("""{"emails": [{"type": "work"}]}""", true)]
    public void Present_on_a_multi_valued_attribute_needs_a_non_empty_element(string json, bool expected)
    {
        Assert.Equal(expected, Matches(Parse(json), "emails pr"));
    }

    [Fact]
    public void Present_on_a_sub_attribute_of_a_multi_valued_attribute()
    {
        Assert.True(Matches(Barbara(), "emails.primary pr"));
        Assert.False(Matches(Barbara(), "emails.display pr"));
    }

    [Fact]
    public void Null_literal_tests_for_absence()
    {
        Assert.True(Matches(Barbara(), "nickName eq null"));
        Assert.False(Matches(Barbara(), "nickName ne null"));
        Assert.False(Matches(Barbara(), "title eq null"));
        Assert.True(Matches(Barbara(), "title ne null"));
    }

    [Fact]
    public void Absent_attributes_satisfy_no_comparison()
    {
        Assert.False(Matches(Barbara(), "nickName eq \"x\""));
        Assert.False(Matches(Barbara(), "nickName ne \"x\""));
        Assert.True(Matches(Barbara(), "not (nickName eq \"x\")"));
    }

    [Fact]
    public void Booleans_compare_by_value_including_strings_stored_by_entra()
    {
        Assert.True(Matches(Barbara(), "active eq true"));
        Assert.False(Matches(Barbara(), "active eq false"));
        Assert.True(Matches(Barbara(), "active ne false"));
        Assert.True(Matches(Parse("""{"active": "False"}"""), "active eq false"));
        Assert.True(Matches(Barbara(), "emails[primary eq true].value eq \"bjensen@example.com\""));
    }

    [Fact]
    public void Numbers_compare_numerically_not_as_text()
    {
        var team = Parse("""{"priority": 10, "weight": 2.50}""");

        Assert.True(Matches(team, "priority gt 9", Team));
        Assert.True(Matches(team, "priority eq 10.0", Team));
        Assert.False(Matches(team, "priority lt 9", Team));
        Assert.True(Matches(team, "weight eq 2.5", Team));
        Assert.True(Matches(team, "weight le 25e-1", Team));
    }

    [Fact]
    public void Date_times_compare_as_instants()
    {
        var user = Parse("""{"meta": {"lastModified": "2011-05-13T06:42:34+02:00", "created": "2010-01-23T04:56:22.5Z"}}""");

        Assert.True(Matches(user, "meta.lastModified eq \"2011-05-13T04:42:34Z\""));
        Assert.False(Matches(user, "meta.lastModified gt \"2011-05-13T04:42:34Z\""));
        Assert.True(Matches(user, "meta.lastModified ge \"2011-05-13T04:42:34Z\""));
        Assert.True(Matches(user, "meta.created gt \"2010-01-23T04:56:22Z\""));
        Assert.True(Matches(user, "meta.created lt \"2010-01-23T04:56:22.6Z\""));
    }

    [Fact]
    public void Extension_attributes_are_read_under_their_urn()
    {
        var user = Barbara();

        Assert.True(Matches(user, $"{EnterpriseUrn}:employeeNumber eq \"701984\""));
        Assert.True(Matches(user, "employeeNumber eq \"701984\""));
        Assert.True(Matches(user, "manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\""));
        Assert.False(Matches(OktaUser(), "employeeNumber pr"));
    }

    [Fact]
    public void Logical_operators_combine()
    {
        var user = Barbara();

        Assert.True(Matches(user, "userName sw \"bj\" and (title pr or nickName pr)"));
        Assert.False(Matches(user, "userName sw \"bj\" and not (title pr)"));
        Assert.True(Matches(user, "nickName pr or displayName eq \"babs jensen\""));
        Assert.False(Matches(user, "nickName pr or displayName eq \"barbara\""));
    }

    [Fact]
    public void Non_ascii_text_compares_case_insensitively()
    {
        Assert.True(Matches(Parse("""{"displayName": "ÉLODIE"}"""), "displayName eq \"\\u00e9lodie\""));
    }

    [Fact]
    public void Identifiers_stored_as_numbers_still_match_string_literals()
    {
        Assert.True(Matches(Parse("""{"externalId": 12345}"""), "externalId eq \"12345\""));
    }

    [Fact]
    public void A_null_target_matches_only_absence()
    {
        Assert.False(ScimFilterEvaluator.Matches(null, ScimFilterParser.Parse("title pr", User)));
        Assert.True(ScimFilterEvaluator.Matches(null, ScimFilterParser.Parse("title eq null", User)));
    }
}
