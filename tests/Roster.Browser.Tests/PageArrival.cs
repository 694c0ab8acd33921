using Microsoft.Playwright;

namespace Roster.Browser.Tests;

/// <summary>
/// Waiting until the tab shows a page at a URL, fully loaded. Playwright's own WaitForURL and
/// WaitForLoadState wait for the "load" lifecycle event it records per navigation; on a loaded
/// machine Chromium can report a fast page's load before Playwright has seen the navigation commit,
/// the commit then clears the recorded event, and the wait times out although the page loaded
/// (CI stop 14: "networkidle event fired", never "load"). So the URL is awaited at commit, and the
/// load is read from the document itself, which cannot miss it.
/// </summary>
public static class PageArrival
{
    public static async Task ArrivedAtAsync(this IPage page, string url)
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await LoadedAsync(page);
    }

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
