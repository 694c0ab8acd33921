using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace Roster.Browser.Tests;

/// <summary>
/// One test's browser: a fresh context (its own cookies and storage) with one page, and the habit of
/// a screenshot per step: <see cref="ScreenshotAsync"/> saves
/// TestResults/screenshots/TEST/NN-STEP.png under the test output folder and prints the path to the
/// test's output. The page's console messages and script errors go to the test's output too.
/// </summary>
public sealed class BrowserTab : IAsyncDisposable
{
    /// <summary>How long an action or an assertion waits (Playwright's default is 30 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    int step;

    BrowserTab(IBrowserContext context, IPage page, string screenshotDirectory)
    {
        Context = context;
        Page = page;
        ScreenshotDirectory = screenshotDirectory;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>TestResults/screenshots/TEST under the test output folder, emptied when the tab opens.</summary>
    public string ScreenshotDirectory { get; }

    /// <summary>Every screenshot taken, in order.</summary>
    public List<string> Screenshots { get; } = [];

    /// <summary>The screenshot folder of all tests: TestResults/screenshots under the test output folder.</summary>
    public static string ScreenshotRoot => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    internal static async Task<BrowserTab> OpenAsync(IBrowser browser, string testName, bool acceptSelfSignedCertificates)
    {
        var directory = Path.Combine(ScreenshotRoot, SafeName(testName));
        if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
        System.IO.Directory.CreateDirectory(directory);

        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1024, Height = 640 },
            Locale = "en-US",
            TimezoneId = "UTC",
            IgnoreHTTPSErrors = acceptSelfSignedCertificates,
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
        // Expect(...) waits by its own clock (5 s by default): the same patience as every other wait,
        // for a loaded 2-core CI machine running the other test projects at the same time.
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var output = TestContext.Current.TestOutputHelper;
        page.Console += (_, message) => output?.WriteLine($"[browser console {message.Type}] {message.Text} ({message.Location})");
        page.PageError += (_, error) => output?.WriteLine($"[browser page error] {error}");
        return new BrowserTab(context, page, directory);
    }

    /// <summary>Saves the whole page as NN-<paramref name="step"/>.png and prints where.</summary>
    public async Task<string> ScreenshotAsync(string stepName)
    {
        var path = Path.Combine(ScreenshotDirectory,
            string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref step):00}-{SafeName(stepName)}.png"));
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Screenshots.Add(path);
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>The cookies the browser holds for <paramref name="url"/>, as it would send them there.</summary>
    public async Task<IReadOnlyList<BrowserContextCookiesResult>> CookiesAsync(string url) => await Context.CookiesAsync([url]);

    /// <summary>The page's visible text.</summary>
    public Task<string> TextAsync() => Page.Locator("body").InnerTextAsync();

    static string SafeName(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        return safe.ToString().Trim('-');
    }

    /// <summary>Signs in at the console's sign-in page with an owner account's password, as a person
    /// types it (the page is left wherever the sign-in leads).</summary>
    public async Task SignInWithPasswordAsync(Uri roster, string slug, string email, string password)
    {
        await Page.LoadAsync(new Uri(roster, "/console/sign-in").AbsoluteUri);
        await Page.Locator("#enterprise").FillAsync(slug);
        await Page.Locator("#email").FillAsync(email);
        await Page.Locator("#password").FillAsync(password);
        await Page.Locator("#password-sign-in").ClickAsync();
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
