using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Roster.Browser.Tests;
using Roster.Testing;

[assembly: AssemblyFixture(typeof(ChromiumFixture))]

namespace Roster.Browser.Tests;

/// <summary>Chromium is not installed here, or it did not start.</summary>
public sealed class ChromiumUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// One headless Chromium for the whole test assembly, driven by Playwright, launched on first use;
/// each test gets a fresh browser context of its own (<see cref="OpenTabAsync"/>: no cookie or
/// storage is shared between tests).
/// <para>
/// Chromium is the system's (Debian: <c>apt-get install chromium</c>), never a download: it is
/// <c>$ROSTER_CHROMIUM</c> if set, else <c>chromium</c> (or <c>chromium-browser</c>) on PATH, else
/// /usr/bin/chromium. Playwright's driver (node and its JavaScript package) ships in the
/// Microsoft.Playwright package and the build copies it to the output folder as .playwright/; it is
/// looked up there only.
/// </para>
/// <para>
/// When Chromium is missing or does not start, a browser test is skipped with a notice, except when
/// the environment variable CI is "true": then it fails with the reason (.ci/run installs Chromium
/// when it is missing). A missing Playwright driver is a build fault and always fails.
/// </para>
/// </summary>
public sealed class ChromiumFixture : IAsyncDisposable
{
    /// <summary>Environment variable naming the Chromium executable to use, overriding the search.</summary>
    public const string ExecutableVariable = "ROSTER_CHROMIUM";

    /// <summary>The skip reason (and, on CI, the failure reason) when no Chromium is found.</summary>
    public const string NotInstalledMessage =
        "Chromium is not installed (no chromium on PATH, no /usr/bin/chromium); install chromium to run the browser tests";

    /// <summary>What Chromium runs with: headless, no sandbox (CI runs as root), and nothing that
    /// reaches outside the machine (no QUIC, no background fetches, no component updates, no sync).</summary>
    public static readonly IReadOnlyList<string> Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);
    static int s_skipNoticePrinted;

    readonly SemaphoreSlim gate = new(1, 1);
    IPlaywright? playwright;
    IBrowser? browser;
    ChromiumUnavailableException? unavailable;

    /// <summary>The Chromium executable in use, once launched.</summary>
    public string? ExecutablePath { get; private set; }

    /// <summary>The browser's version, once launched.</summary>
    public string? Version => browser?.Version;

    /// <summary>
    /// A new browser context and page for one test (launching Chromium on the first call), with its
    /// screenshots in TestResults/screenshots/<paramref name="testName"/>/ under the test output folder.
    /// Skips the test (or fails it on CI) when Chromium is unavailable.
    /// </summary>
    /// <param name="variant">Told apart in the screenshot folder's name, e.g. the database kind of a theory.</param>
    /// <param name="acceptSelfSignedCertificates">The context accepts any TLS certificate (Playwright's
    /// IgnoreHTTPSErrors): for test servers such as <see cref="TestIdpServer"/>.</param>
    public async Task<BrowserTab> OpenTabAsync(string? variant = null, bool acceptSelfSignedCertificates = false, [CallerMemberName] string testName = "")
    {
        var chromium = await RequireBrowserAsync();
        var name = variant is null ? testName : $"{testName}-{variant}";
        return await BrowserTab.OpenAsync(chromium, name, acceptSelfSignedCertificates);
    }

    async Task<IBrowser> RequireBrowserAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (browser is null && unavailable is null)
            {
                try
                {
                    browser = await LaunchAsync();
                }
                catch (ChromiumUnavailableException e)
                {
                    unavailable = e;
                }
            }
        }
        finally
        {
            gate.Release();
        }

        if (unavailable is not null)
        {
            ReportUnavailable(unavailable.Message, PostgresCluster.IsCi, unavailable, Console.Error);
        }
        return browser!;
    }

    async Task<IBrowser> LaunchAsync()
    {
        var executable = FindExecutable(Environment.GetEnvironmentVariable, out var reason)
                         ?? throw new ChromiumUnavailableException(reason!);
        UseBundledDriver();
        var watch = Stopwatch.StartNew();
        playwright = await Playwright.CreateAsync();
        try
        {
            var launched = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = (float)LaunchTimeout.TotalMilliseconds,
            });
            ExecutablePath = executable;
            Console.Error.WriteLine($"Chromium {launched.Version} ({executable}) started in {watch.Elapsed.TotalSeconds:0.0}s");
            return launched;
        }
        catch (PlaywrightException e)
        {
            throw new ChromiumUnavailableException($"Chromium ({executable}) did not start: {FirstLines(e.Message, 12)}", e);
        }
    }

    /// <summary>
    /// Points Playwright at the driver the build copied into the output folder (.playwright/node/PLATFORM/node
    /// and .playwright/package/cli.js), and makes sure nothing downloads a browser.
    /// </summary>
    static void UseBundledDriver()
    {
        var searchPath = Environment.GetEnvironmentVariable("PLAYWRIGHT_DRIVER_SEARCH_PATH") is { Length: > 0 } set ? set : AppContext.BaseDirectory;
        var driver = Path.Combine(searchPath, ".playwright");
        var cli = Path.Combine(driver, "package", "cli.js");
        var node = System.IO.Directory.Exists(Path.Combine(driver, "node"))
            ? System.IO.Directory.EnumerateFiles(Path.Combine(driver, "node"), OperatingSystem.IsWindows() ? "node.exe" : "node", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        if (!File.Exists(cli) || node is null)
        {
            throw new InvalidOperationException(
                $"Playwright's driver is not in {driver} (expected package/cli.js and node/PLATFORM/node): the Microsoft.Playwright package's " +
                "build step copies it there; rebuild the test project (never `playwright install`).");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_DRIVER_SEARCH_PATH", searchPath);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    }

    /// <summary>
    /// The Chromium executable: <c>$ROSTER_CHROMIUM</c> if set (it must exist), else chromium or
    /// chromium-browser on PATH, else /usr/bin/chromium. Null, with the reason, when none is found.
    /// </summary>
    public static string? FindExecutable(Func<string, string?> environment, out string? reason)
    {
        reason = null;
        var overridden = environment(ExecutableVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            if (IsExecutableFile(overridden)) return Path.GetFullPath(overridden);
            reason = $"Chromium is not installed at {ExecutableVariable}={overridden} (no such executable file)";
            return null;
        }

        foreach (var dir in (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (IsExecutableFile(candidate)) return Path.GetFullPath(candidate);
            }
        }

        if (IsExecutableFile("/usr/bin/chromium")) return "/usr/bin/chromium";
        reason = NotInstalledMessage;
        return null;
    }

    static bool IsExecutableFile(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists && (OperatingSystem.IsWindows()
                || (file.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The availability policy, as for PostgreSQL: on CI (<paramref name="ci"/>) throws
    /// <see cref="ChromiumUnavailableException"/>, so the test fails; elsewhere writes a notice to
    /// <paramref name="notices"/> (once per process) and skips the test through <paramref name="skip"/>
    /// (<c>Assert.Skip</c> unless a test substitutes it).
    /// </summary>
    [DoesNotReturn]
    public static void ReportUnavailable(string reason, bool ci, Exception? cause = null, TextWriter? notices = null, Action<string>? skip = null)
    {
        if (ci)
        {
            throw new ChromiumUnavailableException(
                $"CI=true, so the browser tests must run, but Chromium is unavailable: {reason}. " +
                ".ci/run installs the chromium package when it is missing.",
                cause);
        }

        if (notices is not null && Interlocked.Exchange(ref s_skipNoticePrinted, 1) == 0)
        {
            notices.WriteLine($"NOTICE: skipping the browser tests: {reason}");
        }

        (skip ?? Assert.Skip)(reason);
        throw new UnreachableException("skipping the test did not throw");
    }

    static string FirstLines(string text, int count) => string.Join('\n', text.Split('\n').Take(count));

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        gate.Dispose();
    }
}
