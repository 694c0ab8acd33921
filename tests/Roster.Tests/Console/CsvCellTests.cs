using Roster.AdminConsole;

namespace Roster.Tests.AdminConsole;

/// <summary>The log's CSV export: proper quoting, and no cell a spreadsheet would run as a formula.</summary>
public sealed class CsvCellTests
{
    [Theory]
    [InlineData("jane@acme.com", "jane@acme.com")]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1-555", "'+1-555")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("a=b", "a=b")]
    public void A_cell_is_quoted_when_needed_and_never_a_formula(string? value, string expected) =>
        Assert.Equal(expected, CsvCell.Escape(value));
}
