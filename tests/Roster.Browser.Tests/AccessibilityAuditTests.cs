namespace Roster.Browser.Tests;

/// <summary>The audit finds what it claims to: a page with one of each problem gets one line for each,
/// and the same page fixed gets none.</summary>
public sealed class AccessibilityAuditTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task The_audit_reports_each_kind_of_problem_and_nothing_on_a_clean_page()
    {
        await using var tab = await chromium.OpenTabAsync();
        await tab.Page.SetContentAsync("""
            <html><head><title>Bad</title></head><body>
            <h1>One</h1><h3 id="twice">Skipped a level</h3><p id="twice" style="color:#bbb;background:#fff">Pale text</p>
            <input name="q"><button></button><img src="data:,">
            <table><tr><td>no header</td></tr></table>
            </body></html>
            """);
        var problems = await AccessibilityAudit.RunAsync(tab.Page);
        Assert.Equal(
        [
            "the html element has no lang",
            "heading level skipped: h3#twice \"Skipped a level\" after an h1",
            "id \"twice\" is used 2 times",
            "form control without a label: input[name=q]",
            "no accessible name: button",
            "image without alt: img",
            "table without header cells: table \"no header\"",
            "contrast 1.92:1 < 4.5:1: p#twice \"Pale text\"",
        ], problems);

        await tab.Page.SetContentAsync("""
            <html lang="en"><head><title>Good</title></head><body>
            <h1>One</h1><h2>Two</h2><p style="color:#333;background:#fff">Dark text</p>
            <label for="q">Search</label><input id="q" name="q"><button>Go</button><img src="data:," alt="">
            <table><tr><th scope="col">Name</th></tr><tr><td>Jane</td></tr></table>
            </body></html>
            """);
        Assert.Empty(await AccessibilityAudit.RunAsync(tab.Page));
    }
}
