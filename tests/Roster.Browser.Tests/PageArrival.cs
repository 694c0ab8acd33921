using Microsoft.Playwright;

namespace Roster.Browser.Tests;

/// <summary>
/// Waiting until the tab shows a page at a URL, fully loaded. Playwright's own WaitForURL and
/// WaitForLoadState wait for the "load" lifecycle event it records per navigation; on a loaded
/// machine Chromium can report a fast page's load before Playwright has seen the navigation commit,
/// the commit then clears the recorded event, and the wait times out although the page loaded
/// (CI stop 14: "networkidle event fired", never "load"). So the committed URL is read from the
/// page, and the load from the document itself, which cannot miss it.
/// </summary>
public static class PageArrival
{
    public static async Task ArrivedAtAsync(this IPage page, string url)
    {
        // Not WaitForURL even at commit: when the tab already shows the URL, it waits for the recorded
        // "load" event instead, the very one that can be lost (CI, session 7). The committed URL is
        // what Playwright tracks as page.Url, read here until it matches (a glob, as WaitForURL's).
        var pattern = Glob(url);
        var deadline = DateTime.UtcNow + Timeout;
        while (!pattern.IsMatch(page.Url))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The tab did not arrive at {url} within {Timeout.TotalSeconds} s; it shows {page.Url}.");
            await Task.Delay(50);
        }
        await LoadedAsync(page);
    }

    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A URL glob as Playwright reads one: <c>**</c> any characters, <c>*</c> any but a slash.</summary>
    static System.Text.RegularExpressions.Regex Glob(string url) => new("^" +
        System.Text.RegularExpressions.Regex.Escape(url).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$");

    /// <summary>GotoAsync, waiting for the page's load the same sure way.</summary>
    public static async Task<IResponse?> LoadAsync(this IPage page, string url)
    {
        var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await LoadedAsync(page);
        return response;
    }

    /// <summary>ReloadAsync, waiting for the page's load the same sure way.</summary>
    public static async Task<IResponse?> ReloadedAsync(this IPage page)
    {
        var response = await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
        await LoadedAsync(page);
        return response;
    }

    // Polled on a timer rather than on animation frames, which a background tab may not get.
    static Task LoadedAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new() { PollingInterval = 50 });
}
