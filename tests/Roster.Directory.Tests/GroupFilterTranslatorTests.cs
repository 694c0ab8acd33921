using Roster.Directory.Groups;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Directory.Tests;

/// <summary>The SQL of Group filters: indexed columns for the lookups IdPs make, group_members for
/// members, and a clear refusal for what a Group does not have.</summary>
public sealed class GroupFilterTranslatorTests
{
    static SqlCondition Translate(string filter) =>
        new GroupFilterTranslator(PostgresDialect.Instance).Translate(ScimFilterParser.Parse(filter, ScimSchemas.GroupResourceType));

    [Fact]
    public void DisplayName_compares_the_lower_cased_key()
    {
        var condition = Translate("DisplayName eq \"Test SCIMv2\"");
        Assert.Contains("display_name_key = @gf0", condition.Sql);
        Assert.Equal("test scimv2", Assert.Single(condition.Parameters).Value);
    }

    [Fact]
    public void ExternalId_and_id_compare_exactly()
    {
        var condition = Translate("externalId eq \"Ext-1\" and id eq \"ABC\"");
        Assert.Contains("external_id = @gf0", condition.Sql);
        Assert.Contains("id = @gf1", condition.Sql);
        Assert.Equal(["Ext-1", "ABC"], condition.Parameters.Select(p => (string)p.Value!).ToArray());
    }

    [Theory]
    [InlineData("members[value eq \"u1\"]")]
    [InlineData("members.value eq \"u1\"")]
    public void A_member_is_looked_up_in_group_members(string filter)
    {
        var condition = Translate(filter);
        Assert.Contains("FROM group_members gm WHERE gm.group_id = groups.id", condition.Sql);
        Assert.Equal("u1", Assert.Single(condition.Parameters).Value);
    }

    [Theory]
    [InlineData("shoeSize eq \"42\"")]
    [InlineData("members[display eq \"Alice\"]")]
    [InlineData("meta.created co \"2020\"")]
    public void What_a_Group_does_not_have_is_refused_not_ignored(string filter)
    {
        ScimException error;
        try
        {
            error = Assert.Throws<ScimException>(() => Translate(filter));
        }
        catch (ScimException parseError)
        {
            error = parseError;
        }
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
    }

    [Fact]
    public void Sorting_takes_any_singular_attribute_of_a_Group()
    {
        var path = ScimPathParser.Parse("meta.lastModified", ScimSchemas.GroupResourceType).Attribute;
        Assert.Equal("last_modified DESC NULLS LAST", GroupFilterTranslator.OrderBy(path, SortOrder.Descending));
        var members = ScimPathParser.Parse("members", ScimSchemas.GroupResourceType).Attribute;
        Assert.Throws<ScimException>(() => GroupFilterTranslator.OrderBy(members, SortOrder.Ascending));
    }
}
