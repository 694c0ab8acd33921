namespace Roster.Browser.Tests;

/// <summary>How the browser tests find Chromium, and what they do without it: skip with a notice on a
/// developer's machine, fail on CI. None of these launch a browser.</summary>
public sealed class ChromiumAvailabilityTests
{
    [Fact]
    public void ROSTER_CHROMIUM_names_the_executable_and_a_missing_one_is_reported_as_such()
    {
        var missing = ChromiumFixture.FindExecutable(Environment(("ROSTER_CHROMIUM", "/nonexistent/chromium"), ("PATH", "/usr/bin")), out var reason);

        Assert.Null(missing);
        Assert.Equal("Chromium is not installed at ROSTER_CHROMIUM=/nonexistent/chromium (no such executable file)", reason);
    }

    [Fact]
    public void Without_chromium_on_PATH_or_in_usr_bin_the_reason_says_to_install_it()
    {
        var empty = System.IO.Directory.CreateTempSubdirectory("roster-no-chromium-");
        try
        {
            var found = ChromiumFixture.FindExecutable(Environment(("PATH", empty.FullName)), out var reason);
            if (File.Exists("/usr/bin/chromium"))
            {
                Assert.Equal("/usr/bin/chromium", found);
            }
            else
            {
                Assert.Null(found);
                Assert.Equal(ChromiumFixture.NotInstalledMessage, reason);
            }
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_chromium_on_PATH_is_found()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("roster-chromium-");
        try
        {
            var fake = Path.Combine(dir.FullName, "chromium");
            File.WriteAllText(fake, "#!/bin/sh\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            Assert.Equal(fake, ChromiumFixture.FindExecutable(Environment(("PATH", "/nonexistent:" + dir.FullName)), out var reason));
            Assert.Null(reason);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void On_CI_an_unavailable_Chromium_fails_the_test()
    {
        var skipped = false;
        var failure = Assert.Throws<ChromiumUnavailableException>(() =>
            ChromiumFixture.ReportUnavailable("Chromium is not here", ci: true, skip: _ => skipped = true));

        Assert.False(skipped);
        Assert.StartsWith("CI=true, so the browser tests must run, but Chromium is unavailable: Chromium is not here.", failure.Message);
        Assert.Contains(".ci/run installs the chromium package", failure.Message);
    }

    [Fact]
    public void Elsewhere_an_unavailable_Chromium_skips_the_test_with_the_reason()
    {
        string? skippedWith = null;
        Assert.Throws<System.Diagnostics.UnreachableException>(() =>
            ChromiumFixture.ReportUnavailable("Chromium is not here", ci: false, skip: reason => skippedWith = reason));

        Assert.Equal("Chromium is not here", skippedWith);
    }

    static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
