using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>
/// <c>roster serve</c> as a child process of the test, on a free port, over a given store: what an
/// operator runs, so that it can be killed (SIGKILL: no shutdown code runs) or stopped (SIGTERM: the
/// host's graceful shutdown) as a real process is. Its output is kept, the last lines of it shown
/// when a wait fails.
/// </summary>
public sealed class RosterProcess : IAsyncDisposable
{
    const int MaxKeptLines = 400;

    readonly Process process;
    readonly Queue<string> output = new();

    RosterProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public int Port { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    /// <summary>Starts <c>roster serve</c> with <paramref name="storeArguments"/> (--data DIR or
    /// --database CS) and <paramref name="extraArguments"/>, and waits until /healthz answers.</summary>
    /// <param name="port">The port to listen on: a restart passes the previous one, so clients and a
    /// proxy find it where it was; null takes a free one.</param>
    public static async Task<RosterProcess> StartAsync(IEnumerable<string> storeArguments, IEnumerable<string>? extraArguments = null,
        int? port = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var chosen = port ?? FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Roster.dll"), "serve", .. storeArguments,
                     "--urls", $"http://127.0.0.1:{chosen.ToString(CultureInfo.InvariantCulture)}", .. extraArguments ?? []])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var child = new RosterProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), chosen);
        await child.WaitUntilServingAsync();
        return child;
    }

    async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"roster serve exited with {process.ExitCode} before it served:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"roster serve did not answer /healthz within 90 s:\n{Output}");
    }

    /// <summary>SIGKILL, as the kernel's OOM killer or a pulled plug: nothing of Roster's runs after it.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: false);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the host shuts down gracefully.</summary>
    public void Terminate()
    {
        if (process.HasExited) return;
        if (SendSignal(process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill -TERM {process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end; a process that does not is killed and the wait fails as hung.</summary>
    public async Task WaitForExitAsync(TimeSpan bound)
    {
        using var patience = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"roster serve (pid {process.Id}) did not exit within {bound.TotalSeconds} s:\n{Output}");
        }
    }

    /// <summary>The last lines the process wrote (stdout and stderr together).</summary>
    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    void Keep(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > MaxKeptLines) output.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcessExit.KillAndDisposeAsync(process);
    }

    const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);
}
