using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;
using Xunit;

namespace Roster.Testing;

/// <summary>PostgreSQL is not installed here, or the throwaway server could not be started.</summary>
public sealed class PostgresUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// One throwaway PostgreSQL server for the whole test process, started on first use.
/// <para>
/// The server lives in a fresh directory /tmp/roster-pg-PID-RANDOM (data/, sock/, log), listens on a
/// free port on 127.0.0.1 with trust authentication for the user <c>postgres</c>, and runs without
/// durability (fsync, synchronous_commit and full_page_writes off). It is stopped
/// (<c>pg_ctl stop -m immediate</c>) and its directory deleted when the process exits; a detached
/// watchdog does the same if the process dies without running its exit handlers. Directories left
/// by earlier runs whose owner and server are both gone are deleted on start-up.
/// </para>
/// <para>
/// Binaries: <c>$ROSTER_PG_BIN</c> if set (a directory holding initdb and pg_ctl), else initdb on
/// PATH, else the newest /usr/lib/postgresql/VERSION/bin. When the process runs as root, initdb and
/// pg_ctl run as the <c>postgres</c> user through <c>runuser</c>, since initdb refuses root.
/// </para>
/// <para>
/// Tests normally call <see cref="RequireDatabaseAsync"/> (or <see cref="TestDatabase.CreateAsync"/>),
/// which applies the availability policy: when PostgreSQL is unavailable the test fails if the
/// environment variable CI is "true", and is skipped otherwise.
/// </para>
/// </summary>
public sealed class PostgresCluster
{
    /// <summary>The skip reason (and, on CI, the failure reason) when no PostgreSQL binaries are found.</summary>
    public const string NotInstalledMessage =
        "PostgreSQL is not installed (initdb not found); install postgresql to run the PostgreSQL tests";

    /// <summary>Environment variable naming a directory with initdb and pg_ctl, overriding the search.</summary>
    public const string BinDirectoryVariable = "ROSTER_PG_BIN";

    /// <summary>The superuser every connection string uses (trust authentication, no password).</summary>
    public const string UserName = "postgres";

    const string TempRoot = "/tmp";
    const string DirectoryPrefix = "roster-pg-";
    const string OwnerFileName = "owner.pid";
    const int StartAttempts = 3;
    static readonly TimeSpan InitdbTimeout = TimeSpan.FromMinutes(2);
    static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(90);

    static readonly Lazy<Task<PostgresCluster>> Instance =
        new(() => Task.Run(Start), LazyThreadSafetyMode.ExecutionAndPublication);

    static int s_databaseCounter;
    static int s_skipNoticePrinted;

    readonly NpgsqlDataSource _admin;
    readonly bool _runAsPostgres;
    int _stopped;

    PostgresCluster(string binDirectory, string rootDirectory, int port, bool runAsPostgres)
    {
        BinDirectory = binDirectory;
        RootDirectory = rootDirectory;
        Port = port;
        _runAsPostgres = runAsPostgres;
        AdminConnectionString = ConnectionStringFor("postgres");
        _admin = NpgsqlDataSource.Create(AdminConnectionString);
    }

    /// <summary>Always 127.0.0.1: the server listens on no other address.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The directory holding the initdb and pg_ctl that were used.</summary>
    public string BinDirectory { get; }

    /// <summary>The throwaway directory (/tmp/roster-pg-...) holding data/, sock/ and log.</summary>
    public string RootDirectory { get; }

    /// <summary>The cluster's data directory (inside <see cref="RootDirectory"/>).</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>The server's log file (inside <see cref="RootDirectory"/>).</summary>
    public string LogFile => Path.Combine(RootDirectory, "log");

    /// <summary>The server's version, as <c>SHOW server_version</c> reports it.</summary>
    public string ServerVersion { get; private set; } = "";

    /// <summary>How long finding the binaries, initdb, starting the server and the first connection took.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>A connection string for the <c>postgres</c> maintenance database. Tests should not write to it.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when the environment variable CI is "true" (case-insensitive).</summary>
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The process-wide cluster, started on the first call (thread-safe; later calls share the same task,
    /// including its failure). Throws <see cref="PostgresUnavailableException"/> when PostgreSQL is not
    /// installed or does not start; it applies no skip/fail policy (see <see cref="RequireAsync"/>).
    /// </summary>
    public static Task<PostgresCluster> GetAsync() => Instance.Value;

    /// <summary>
    /// The process-wide cluster, or, when PostgreSQL is unavailable: throws
    /// <see cref="PostgresUnavailableException"/> (the test fails) when CI is "true", and otherwise
    /// skips the calling test through <c>Assert.Skip</c> with a notice.
    /// </summary>
    public static async Task<PostgresCluster> RequireAsync()
    {
        try
        {
            return await GetAsync().ConfigureAwait(false);
        }
        catch (PostgresUnavailableException e)
        {
            ReportUnavailable(e.Message, IsCi, e, Console.Error);
            throw;
        }
    }

    /// <summary>
    /// A connection string for a new, empty database of its own on the process-wide cluster, under the
    /// same availability policy as <see cref="RequireAsync"/> (fail on CI, skip elsewhere).
    /// </summary>
    public static async Task<string> RequireDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var cluster = await RequireAsync().ConfigureAwait(false);
        return await cluster.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a new, uniquely named, empty database and returns an Npgsql connection string for it
    /// (Host=127.0.0.1;Port=...;Username=postgres;Database=...; pooling on).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"roster_test_{Interlocked.Increment(ref s_databaseCounter)}_{Guid.NewGuid():N}");
        await using (var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Drops the database a connection string (from <see cref="CreateDatabaseAsync"/>) names, closing
    /// its connections first (its Npgsql pool is cleared, other sessions are terminated).
    /// </summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (string.IsNullOrEmpty(name) || name is "postgres" or "template0" or "template1")
        {
            throw new ArgumentException($"Refusing to drop database '{name}'.", nameof(connectionString));
        }

        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = UserName,
            Database = database,
            Pooling = true,
            IncludeErrorDetail = true,
        }.ConnectionString;

    /// <summary>
    /// Finds the directory holding initdb and pg_ctl: <c>$ROSTER_PG_BIN</c> if set, else initdb on PATH
    /// (symlinks resolved), else the newest /usr/lib/postgresql/VERSION/bin. Null when none is found.
    /// </summary>
    public static string? FindBinDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return HasTools(overridden) ? Path.GetFullPath(overridden) : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb))
            {
                continue;
            }

            var real = ResolveLinks(initdb);
            var realDir = Path.GetDirectoryName(real);
            if (realDir is not null && HasTools(realDir))
            {
                return realDir;
            }

            if (HasTools(dir))
            {
                return Path.GetFullPath(dir);
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
                .Where(c => c.Version is not null && HasTools(c.Dir))
                .OrderByDescending(c => c.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        return null;
    }

    /// <summary>
    /// The availability policy: on CI (<paramref name="ci"/>) throws <see cref="PostgresUnavailableException"/>,
    /// so the test fails; elsewhere writes a notice to <paramref name="notices"/> (once per process) and
    /// skips the test through <paramref name="skip"/> (<c>Assert.Skip</c> unless a test substitutes it).
    /// </summary>
    [DoesNotReturn]
    internal static void ReportUnavailable(
        string reason, bool ci, Exception? cause = null, TextWriter? notices = null, Action<string>? skip = null)
    {
        if (ci)
        {
            throw new PostgresUnavailableException(
                $"CI=true, so the PostgreSQL tests must run, but PostgreSQL is unavailable: {reason}. " +
                ".ci/run installs the postgresql package when initdb is missing.",
                cause);
        }

        if (notices is not null && Interlocked.Exchange(ref s_skipNoticePrinted, 1) == 0)
        {
            notices.WriteLine($"NOTICE: skipping the PostgreSQL tests: {reason}");
        }

        (skip ?? Assert.Skip)(reason);
        throw new UnreachableException("skipping the test did not throw");
    }

    static PostgresCluster Start()
    {
        var stopwatch = Stopwatch.StartNew();
        if (OperatingSystem.IsWindows())
        {
            throw new PostgresUnavailableException("the throwaway PostgreSQL server is supported on Linux and macOS only");
        }

        var bin = FindBinDirectory();
        if (bin is null)
        {
            var overridden = Environment.GetEnvironmentVariable(BinDirectoryVariable);
            throw new PostgresUnavailableException(string.IsNullOrWhiteSpace(overridden)
                ? NotInstalledMessage
                : $"PostgreSQL is not installed in {BinDirectoryVariable}={overridden} (initdb or pg_ctl not found there)");
        }

        CleanStaleDirectories();

        var runAsPostgres = IsRoot();
        if (runAsPostgres && Run("id", ["-u", UserName], TempRoot, TimeSpan.FromSeconds(10)).ExitCode != 0)
        {
            throw new PostgresUnavailableException(
                $"running as root, and there is no '{UserName}' user to run initdb as (initdb refuses to run as root)");
        }

        var root = Path.Combine(
            TempRoot,
            string.Create(CultureInfo.InvariantCulture, $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}"));
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(root, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var socketDir = Directory.CreateDirectory(Path.Combine(root, "sock")).FullName;

        PostgresCluster? cluster = null;
        try
        {
            if (runAsPostgres)
            {
                Check(Run("chown", ["-R", UserName + ":", root], root, TimeSpan.FromSeconds(30)), "chown of " + root);
            }

            var data = Path.Combine(root, "data");
            StartWatchdog(bin, root, data, runAsPostgres);
            Check(
                RunTool(bin, "initdb", runAsPostgres, root, InitdbTimeout,
                    "-D", data, "-A", "trust", "-U", UserName, "-E", "UTF8", "--locale=C", "--no-sync"),
                "initdb");

            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var options = string.Create(
                    CultureInfo.InvariantCulture,
                    $"-p {port} -k {socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
                var candidate = new PostgresCluster(bin, root, port, runAsPostgres);
                var result = RunTool(bin, "pg_ctl", runAsPostgres, root, PgCtlTimeout,
                    "-D", data, "-l", candidate.LogFile, "-w", "-t", "60", "-o", options, "start");
                if (result.ExitCode == 0)
                {
                    cluster = candidate;
                    break;
                }

                candidate._admin.Dispose();
                var log = ReadTail(candidate.LogFile);
                // Best effort: a server that half-started must not linger.
                RunTool(bin, "pg_ctl", runAsPostgres, root, PgCtlTimeout, "-D", data, "stop", "-m", "immediate");
                var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("already in use", StringComparison.OrdinalIgnoreCase);
                if (!portTaken || attempt >= StartAttempts)
                {
                    throw new PostgresUnavailableException(
                        $"the PostgreSQL server in {data} (binaries {bin}) failed to start: pg_ctl exited with {result.ExitCode}: " +
                        $"{result.Output.Trim()}{Environment.NewLine}server log:{Environment.NewLine}{log}");
                }
            }

            var started = cluster;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => started.Stop();

            using (var connection = cluster._admin.OpenConnection())
            using (var command = new NpgsqlCommand("SHOW server_version", connection))
            {
                cluster.ServerVersion = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
            }

            cluster.StartupTime = stopwatch.Elapsed;
            return cluster;
        }
        catch (Exception e)
        {
            if (cluster is not null)
            {
                cluster.Stop();
            }
            else
            {
                DeleteDirectory(root);
            }

            throw e as PostgresUnavailableException
                ?? new PostgresUnavailableException($"the PostgreSQL server failed to start: {e.Message}", e);
        }
    }

    /// <summary>Stops the server (immediate mode) and deletes its directory. Idempotent; called at process exit.</summary>
    void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            _admin.Dispose();
        }
        catch (Exception)
        {
            // Shutting down anyway.
        }

        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            RunTool(BinDirectory, "pg_ctl", _runAsPostgres, RootDirectory, TimeSpan.FromSeconds(30),
                "-D", DataDirectory, "stop", "-m", "immediate");
        }

        DeleteDirectory(RootDirectory);
    }

    /// <summary>
    /// A detached shell (own session, so a kill of the test process group spares it) that waits for
    /// this process to end and then stops the server and removes the directory, in case the process
    /// dies without running its ProcessExit handlers. Best effort: without setsid there is no watchdog.
    /// </summary>
    static void StartWatchdog(string binDirectory, string rootDirectory, string dataDirectory, bool runAsPostgres)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1"; do sleep 2; done
            sleep 1
            if [ -f "$3/postmaster.pid" ]; then
              if [ "$5" = 1 ]; then runuser -u postgres -- "$2" -D "$3" stop -m immediate; else "$2" -D "$3" stop -m immediate; fi
            fi
            rm -rf "$4"
            """;
        try
        {
            var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = TempRoot };
            foreach (var arg in new[]
            {
                "-f", "/bin/sh", "-c", script, "roster-pg-watchdog",
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                Path.Combine(binDirectory, "pg_ctl"), dataDirectory, rootDirectory, runAsPostgres ? "1" : "0",
            })
            {
                psi.ArgumentList.Add(arg);
            }

            using var process = Process.Start(psi);
            process?.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // No watchdog: the ProcessExit handler still cleans up on a normal exit.
        }
    }

    /// <summary>
    /// Deletes /tmp/roster-pg-* directories of earlier runs whose owning process is gone and whose
    /// server is not running. Running servers are left alone, as are directories of live processes.
    /// </summary>
    static void CleanStaleDirectories()
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(TempRoot, DirectoryPrefix + "*");
        }
        catch (Exception)
        {
            return;
        }

        foreach (var dir in candidates)
        {
            try
            {
                var ownerFile = Path.Combine(dir, OwnerFileName);
                if (File.Exists(ownerFile))
                {
                    if (IsProcessAlive(ReadPid(ownerFile)))
                    {
                        continue;
                    }
                }
                else if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < TimeSpan.FromMinutes(5))
                {
                    continue; // Possibly being created right now by another process.
                }

                var postmasterPid = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(postmasterPid) && IsProcessAlive(ReadPid(postmasterPid)))
                {
                    continue;
                }

                DeleteDirectory(dir);
            }
            catch (Exception)
            {
                // Not ours to worry about (permissions, races with another cleaner).
            }
        }
    }

    static int? ReadPid(string file)
    {
        var first = File.ReadLines(file).FirstOrDefault()?.Trim();
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    static bool IsProcessAlive(int? pid)
    {
        if (pid is not > 0)
        {
            return false;
        }

        if (Directory.Exists("/proc/self"))
        {
            return Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}"));
        }

        try
        {
            using var process = Process.GetProcessById(pid.Value);
            return !process.HasExited;
        }
        catch (Exception)
        {
            return false;
        }
    }

    static void DeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception)
        {
            // A leftover directory is cleaned up by a later run.
        }
    }

    static bool HasTools(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

    static string ResolveLinks(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    static Version? ParseVersion(string name)
    {
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return new Version(major, 0);
        }

        return Version.TryParse(name, out var version) ? version : null;
    }

    static string ReadTail(string file, int maxChars = 4000)
    {
        try
        {
            var text = File.ReadAllText(file);
            return text.Length <= maxChars ? text : "..." + text[^maxChars..];
        }
        catch (Exception e)
        {
            return $"(no log: {e.Message})";
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEffectiveUserId();

    static bool IsRoot()
    {
        try
        {
            return GetEffectiveUserId() == 0;
        }
        catch (Exception)
        {
            return Environment.UserName == "root";
        }
    }

    static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new PostgresUnavailableException($"PostgreSQL failed to start: {what} failed (exit code {result.ExitCode}): {result.Output.Trim()}");
        }
    }

    static (int ExitCode, string Output) RunTool(
        string bin, string tool, bool asPostgres, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var path = Path.Combine(bin, tool);
        return asPostgres
            ? Run("runuser", ["-u", UserName, "--", path, .. args], workingDirectory, timeout)
            : Run(path, args, workingDirectory, timeout);
    }

    static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // Connection and cluster settings of the caller's environment must not leak into ours.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        psi.Environment["LC_ALL"] = "C";
        psi.Environment["LANG"] = "C";

        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (Exception e)
        {
            return (-1, $"could not run {file}: {e.Message}");
        }

        using (process)
        {
            process.OutputDataReceived += Append;
            process.ErrorDataReceived += Append;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception)
                {
                    // Already gone.
                }

                lock (output)
                {
                    return (-1, $"{file} timed out after {timeout.TotalSeconds:0}s: {output}");
                }
            }

            process.WaitForExit();
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }
    }
}
