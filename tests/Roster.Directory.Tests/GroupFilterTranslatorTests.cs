using Roster.Directory.Groups;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Directory.Tests;

/// <summary>The Group filters Roster runs in SQL, and the ones it refuses instead of ignoring.</summary>
public sealed class GroupFilterTranslatorTests
{
    static Roster.Directory.Storage.SqlCondition Translate(string filter) =>
        new GroupFilterTranslator().Translate(ScimFilterParser.Parse(filter, ScimSchemas.GroupResourceType));

    [Fact]
    public void DisplayName_eq_compares_the_lower_cased_key()
    {
        var condition = Translate("DisplayName eq \"Test SCIMv2\"");
        Assert.Equal("display_name_key = @gf0", condition.Sql);
        Assert.Equal("test scimv2", Assert.Single(condition.Parameters).Value);
    }

    [Fact]
    public void ExternalId_and_id_compare_exactly()
    {
        var condition = Translate("externalId eq \"Ext-1\" and id eq \"ABC\"");
        Assert.Equal("(external_id = @gf0 AND id = @gf1)", condition.Sql);
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
    [InlineData("displayName sw \"Eng\"")]
    [InlineData("displayName pr")]
    [InlineData("displayName ne \"x\"")]
    [InlineData("meta.lastModified gt \"2020-01-01T00:00:00Z\"")]
    [InlineData("members[display eq \"Alice\"]")]
    [InlineData("members[value co \"u\"]")]
    public void Other_filters_are_refused_not_ignored(string filter)
    {
        var error = Assert.Throws<ScimException>(() => Translate(filter));
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Contains("displayName eq", error.Detail);
    }
}
