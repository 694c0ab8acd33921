using System.Diagnostics;
using System.Globalization;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>
/// Debian's nginx as the reverse proxy in front of several Roster instances, as docs/operations.md
/// configures it: round robin over the upstreams, a dead one skipped (a request that could not reach
/// it goes to the next), the original Host passed on. Started by the test as a child process in the
/// foreground (<c>daemon off</c>), on a free port, with its configuration, pid, logs and temporary
/// files in a directory of its own. Without nginx the test is skipped with a notice, and fails when
/// CI is "true" (.ci/run installs it).
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    readonly Process process;
    readonly string directory;

    NginxProxy(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseAddress { get; }

    public static string? FindExecutable() =>
        new[] { Environment.GetEnvironmentVariable("ROSTER_NGINX") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "nginx")))
            .Append("/usr/sbin/nginx")
            .FirstOrDefault(f => !string.IsNullOrEmpty(f) && File.Exists(f));

    /// <summary>The proxy's configuration: what docs/operations.md shows, with this test's paths.</summary>
    public static string Configuration(string directory, int port, IEnumerable<int> upstreams, bool asRoot) => $$"""
        daemon off;
        {{(asRoot ? "user root;" : "")}}
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 512; }
        http {
            # Which instance answered each request: two addresses where nginx resent it to the next
            # (docs/operations.md logs $upstream_addr too); X-Roster-Test is a test's name for a request.
            log_format upstreams '$http_x_roster_test|$upstream_addr|$status';
            access_log {{directory}}/access.log upstreams;
            client_body_temp_path {{directory}}/body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            upstream roster {
        {{string.Concat(upstreams.Select(p => $"        server 127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)} max_fails=1 fail_timeout=5s;\n"))}}
                keepalive 16;
            }
            server {
                listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                client_max_body_size 2m;
                location / {
                    proxy_pass http://roster;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_connect_timeout 2s;
                    proxy_read_timeout 60s;
                    proxy_next_upstream error timeout;
                }
            }
        }
        """;

    public static async Task<NginxProxy> StartAsync(IEnumerable<int> upstreams)
    {
        var nginx = FindExecutable();
        if (nginx is null)
        {
            const string reason = "nginx is not installed (apt-get install nginx); the several-instances tests need it";
            if (PostgresCluster.IsCi) throw new InvalidOperationException($"CI=true, so the several-instances tests must run, but {reason}. .ci/run installs it.");
            Console.Error.WriteLine($"NOTICE: skipping: {reason}");
            Assert.Skip(reason);
        }
        var directory = System.IO.Directory.CreateTempSubdirectory("roster-nginx-").FullName;
        var port = FreePort.Next();
        var asRoot = Environment.UserName == "root";
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), Configuration(directory, port, upstreams, asRoot));
        var start = new ProcessStartInfo(nginx!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log") })
            start.ArgumentList.Add(arg);
        var proxy = new NginxProxy(Process.Start(start)!, directory, port);
        using var http = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (proxy.process.HasExited)
                throw new Xunit.Sdk.XunitException($"nginx exited with {proxy.process.ExitCode}: {await proxy.process.StandardError.ReadToEndAsync()} {proxy.ErrorLog}");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return proxy;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new Xunit.Sdk.XunitException($"nginx did not proxy /healthz within 30 s: {proxy.ErrorLog}");
            await Task.Delay(50);
        }
    }

    /// <summary>The header whose value names a request in <see cref="ResentRequests"/>.</summary>
    public const string TestRequestHeader = "X-Roster-Test";

    /// <summary>The <see cref="TestRequestHeader"/> values of the requests nginx sent to more than one
    /// instance: an instance died under them and nginx resent them (GET, PUT and DELETE are idempotent
    /// to it), so the first instance may have applied what the answer came from the second.</summary>
    public IReadOnlySet<string> ResentRequests()
    {
        var path = Path.Combine(directory, "access.log");
        if (!File.Exists(path)) return new HashSet<string>();
        return File.ReadAllLines(path).Select(line => line.Split('|')).Where(f => f.Length == 3 && f[0] is not ("" or "-") && f[1].Contains(',', StringComparison.Ordinal))
            .Select(f => f[0]).ToHashSet(StringComparer.Ordinal);
    }

    public string ErrorLog
    {
        get
        {
            try
            {
                return File.ReadAllText(Path.Combine(directory, "error.log"));
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcessExit.KillAndDisposeAsync(process);
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
