using System.Diagnostics;

namespace Roster.Tests.Resilience;

/// <summary>How the tests' child processes (roster serve, nginx) end: killed with their children if
/// still running, waited for, released.</summary>
static class ChildProcessExit
{
    public static async ValueTask KillAndDisposeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }
}
