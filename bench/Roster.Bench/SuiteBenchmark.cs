using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

/// <summary>
/// Issue 9's suite: an enterprise of N members seeded through the store's bulk path, a real
/// <c>roster serve</c> process on it, and every scenario an IdP drives measured by roster-load, a
/// process of its own, against the ceiling of this machine (roster-ceiling, a bare Kestrel endpoint
/// answering a body the size of this run's User) under the same settings. Prints one table a
/// database: req/s, p50, p99, the ratio to the ceiling and the server's peak resident memory.
/// </summary>
static class SuiteBenchmark
{
    const string Domain = "bench.example";
    const int MaxSweep = 200_000;

    public static async Task<int> RunAsync(int members, int concurrency, double seconds, double warmup, string db, string? only)
    {
        var kinds = db == "both" ? new[] { TestDatabase.Sqlite, TestDatabase.Postgres } : [db];
        var root = RepositoryRoot();
        Console.WriteLine($"Roster benchmark suite: {members:N0} members, {concurrency} connections, {seconds} s a scenario after {warmup} s of warm-up, " +
                          $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, commit {Git(root, "rev-parse --short HEAD")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        foreach (var kind in kinds) await RunAsync(root, kind, members, concurrency, seconds, warmup, only);
        return 0;
    }

    /// <summary>Seeds a data folder (SQLite) or database (PostgreSQL) that <c>roster serve</c> then serves,
    /// for measuring by hand (dotnet-counters, dotnet-trace): prints the SCIM base path and token.</summary>
    public static async Task<int> SeedOnlyAsync(int count, string? data, string? connectionString)
    {
        var options = connectionString is not null ? DatabaseOptions.Postgres(connectionString) : DatabaseOptions.Sqlite(data ?? "data");
        var directory = await RosterDirectory.OpenAsync(options);
        var seed = await SeedAsync(directory, count);
        Console.WriteLine($"seeded {count:N0} members in {seed.Seconds:0.0} s ({count / seed.Seconds:N0} members/s) into {options.Description}");
        Console.WriteLine($"SCIM base path: /scim/v2/{seed.Enterprise.Slug}/");
        Console.WriteLine($"token: {seed.Token}");
        return 0;
    }

    static async Task RunAsync(string root, string kind, int count, int concurrency, double seconds, double warmup, string? only)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var options = kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);
        var directory = await RosterDirectory.OpenAsync(options);
        var seed = await SeedAsync(directory, count);
        Console.WriteLine();
        Console.WriteLine($"## {kind}, {count:N0} members");
        Console.WriteLine($"seeded through the bulk path in {seed.Seconds:0.0} s ({count / seed.Seconds:N0} members/s), groups of 1,000 and {seed.BigGroupSize:N0}");

        var storeArgument = kind == TestDatabase.Sqlite ? $"--data \"{database.DataDirectory}\"" : $"--database \"{database.ConnectionString}\"";
        // Start-up to ready, twice: the first start meets cold files; the second is what a restart costs.
        var startups = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            await using var probe = await ServerProcess.StartAsync(root, storeArgument);
            startups.Add(probe.StartupMs);
        }
        await using var server = await ServerProcess.StartAsync(root, storeArgument);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up to ready (/readyz 200): {string.Join(", ", startups.Select(s => $"{s:0} ms"))}, then {server.StartupMs:0} ms"));

        var scim = $"{server.Url}/scim/v2/{seed.Enterprise.Slug}/";
        using var http = new HttpClient { BaseAddress = new Uri(scim) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", seed.Token);
        var sampleUser = await http.GetByteArrayAsync($"Users/{seed.Ids[count / 2]}");
        await using var ceiling = await CeilingProcess.StartAsync(root, sampleUser.Length);
        var work = Directory.CreateTempSubdirectory("roster-suite-");
        try
        {
            var random = new Random(9);
            string AnyId() => seed.Ids[random.Next(count)];
            string Script(string name, IEnumerable<object> lines)
            {
                var path = Path.Combine(work.FullName, name + ".jsonl");
                File.WriteAllLines(path, lines.Select(line => line is JsonNode node ? node.ToJsonString() : (string)line));
                return path;
            }
            JsonObject Get(string path) => new() { ["method"] = "GET", ["path"] = path };
            JsonObject Send(string method, string path, JsonNode body) => new() { ["method"] = method, ["path"] = path, ["body"] = body };
            string Filter(string filter) => "Users?filter=" + Uri.EscapeDataString(filter);
            int Pick() => random.Next(1, count + 1);
            var endCursor = await EndCursorAsync(directory, seed.Enterprise, count);
            // Members in no group, for the add-1 scenarios; a small directory has too few and re-adds.
            var outside = count - seed.FirstOutsideGroups >= 10_000 ? seed.Ids.Skip(seed.FirstOutsideGroups).ToList() : [.. seed.Ids, .. seed.Ids];

            var scenarios = new List<Scenario>
            {
                new("GET /Users/{id}", Script("get", Enumerable.Range(0, 5000).Select(_ => Get($"Users/{AnyId()}"))), 200),
                new("filter userName eq", Script("username", Enumerable.Range(0, 5000).Select(_ => Get(Filter($"userName eq \"user{Pick()}@{Domain}\"")))), 200),
                new("filter emails[type eq \"work\"].value eq", Script("email", Enumerable.Range(0, 5000).Select(_ =>
                    Get(Filter($"emails[type eq \"work\"].value eq \"user{Pick()}@{Domain}\"")))), 200),
                new("list 100, startIndex at the start", Script("index-start", [Get("Users?startIndex=1&count=100")]), 200),
                new("list 100, startIndex at the end", Script("index-end", [Get($"Users?startIndex={count - 99}&count=100")]), 200),
                new("list 100, cursor at the start", Script("cursor-start", [Get("Users?count=100&cursor=")]), 200),
                new("list 100, cursor at the end", Script("cursor-end", [Get($"Users?count=100&cursor={Uri.EscapeDataString(endCursor)}")]), 200),
                new("POST /Users/.search userName eq", Script("search", Enumerable.Range(0, 5000).Select(_ => Send("POST", "Users/.search", new JsonObject
                {
                    ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
                    ["filter"] = $"userName eq \"user{Pick()}@{Domain}\"", ["count"] = 10,
                }))), 200),
                new("POST /Users (create)", Script("create", Enumerable.Range(0, 1).Select(_ =>
                    Send("POST", "Users", Profile(count + 1, "new{i}-" + Guid.NewGuid().ToString("N")[..8])))), 201),
                new("PUT /Users/{id} (profile)", Script("put", Enumerable.Range(0, 20_000).Select(_ =>
                {
                    var n = Pick();
                    var profile = Profile(n);
                    profile["title"] = "Principal Engineer";
                    return Send("PUT", $"Users/{seed.Ids[n - 1]}", profile);
                })), 200),
                new("PATCH /Users/{id} active:false", Script("deactivate", seed.Ids.Take(seed.FirstOutsideGroups).Skip(1_000).Select(id => Send("PATCH", $"Users/{id}",
                    Patch(new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["active"] = false } })))), 200),
                new("PATCH group of 1,000: add 1", Script("add1-small", outside.Take(Math.Min(5_000, outside.Count / 2)).Select(id => Send("PATCH", $"Groups/{seed.SmallGroup}",
                    AddMembers([id])))), 204, Concurrency: 1),
                new($"PATCH group of {seed.BigGroupSize:N0}: add 1", Script("add1-big", outside.Skip(outside.Count / 2).Take(5_000).Select(id => Send("PATCH", $"Groups/{seed.BigGroup}",
                    AddMembers([id])))), 204, Concurrency: 1),
                new("PATCH group: add 10,000", Script("add10k", seed.EmptyGroups.Select((group, k) => Send("PATCH", $"Groups/{group}",
                    AddMembers(seed.Ids.Skip(k * 10_000).Take(10_000))))), 204, Concurrency: 1, Requests: seed.EmptyGroups.Count),
            };
            // The sweep's target is for 100,000 members; of a million (10,000 pages by startIndex) it would
            // take most of the run, and it is left out.
            if (count <= MaxSweep)
            {
                scenarios.Add(new($"Okta import sweep, {count / 100:N0} pages of 100", Script("sweep", Enumerable.Range(0, (count + 99) / 100).Select(p =>
                    Get($"Users?startIndex={p * 100 + 1}&count=100"))), 200, Concurrency: 1, Requests: (count + 99) / 100, Sweep: true));
            }

            var ceilings = new Dictionary<int, JsonObject>();
            async Task<JsonObject> CeilingAt(int clients)
            {
                if (!ceilings.TryGetValue(clients, out var result))
                    ceilings[clients] = result = await LoadAsync(root, ceiling.Url, ["--path", "/scim/v2/bench/Users/1", "--concurrency", $"{clients}",
                        "--duration", Seconds(seconds), "--warmup", Seconds(warmup), "--expect", "200"]);
                return result;
            }

            Console.WriteLine();
            Console.WriteLine("| scenario | clients | requests | req/s | p50 ms | p99 ms | ratio to ceiling | server peak RSS |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var clients in scenarios.Select(s => s.Concurrency ?? concurrency).Distinct())
            {
                var c = await CeilingAt(clients);
                Console.WriteLine(Row($"ceiling: bare Kestrel, {sampleUser.Length:N0}-byte body", clients, c, null, null));
            }
            // The JIT: a fresh server re-compiles its hot paths (tiered, with profile-guided
            // optimization) over its first ~10 s under load, and a 2-second warm-up measured that
            // instead of Roster (bench/README.md has both). One long warm-up of
            // reads first, then each scenario's own warm-up.
            var warm = await LoadAsync(root, scim, ["--script", scenarios[0].Script, "--header", $"Authorization: Bearer {seed.Token}",
                "--concurrency", $"{concurrency}", "--expect", "200", "--duration", Seconds(3 * warmup)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server warm-up: {scenarios[0].Name} for {3 * warmup} s ({(double)warm["rps"]!:N0} req/s), then {warmup} s of each scenario before it is measured"));
            var highest = 0.0;
            foreach (var scenario in scenarios)
            {
                if (only is not null && !scenario.Name.Contains(only, StringComparison.OrdinalIgnoreCase)) continue;
                var clients = scenario.Concurrency ?? concurrency;
                server.ResetPeakMemory();
                var arguments = new List<string>
                {
                    "--script", scenario.Script, "--header", $"Authorization: Bearer {seed.Token}", "--concurrency", $"{clients}", "--expect", $"{scenario.Expect}",
                };
                if (scenario.Requests is { } requests) arguments.AddRange(["--requests", $"{requests}", "--duration", "600"]);
                else arguments.AddRange(["--duration", Seconds(seconds), "--warmup", Seconds(warmup)]);
                var result = await LoadAsync(root, scim, arguments);
                var ratio = scenario.Sweep || scenario.Requests is not null ? (double?)null : (double)result["rps"]! / (double)(await CeilingAt(clients))["rps"]!;
                var peak = server.PeakMemoryMiB();
                highest = Math.Max(highest, peak);
                Console.WriteLine(Row(scenario.Sweep ? $"{scenario.Name} (all in {(double)result["seconds"]!:0.0} s)" : scenario.Name, clients, result, ratio, peak));
            }
            Console.WriteLine($"server peak resident memory over the scenarios: {highest:0} MiB");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    sealed record Scenario(string Name, string Script, int Expect, int? Concurrency = null, int? Requests = null, bool Sweep = false);

    static string Row(string name, int clients, JsonObject result, double? ratio, double? peakMiB) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {clients} | {(long)result["requests"]!:N0} | {(double)result["rps"]!:N0} | {(double)result["p50Ms"]!:0.00} | {(double)result["p99Ms"]!:0.00} | " +
        $"{(ratio is { } r ? $"{r:P0}" : "")} | {(peakMiB is { } m ? $"{m:0} MiB" : "")} |");

    static string Seconds(double seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    static JsonObject Patch(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(operations),
    };

    static JsonObject AddMembers(IEnumerable<string> ids) =>
        Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray()) });

    static readonly string[] Departments =
        ["Engineering", "Sales", "Marketing", "Finance", "Legal", "Support", "Operations", "Design", "Research", "People"];
    static readonly string[] GivenNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim"];

    /// <summary>A User as Okta pushes one: names, two emails, a phone, an address, a title and the
    /// enterprise extension. About the size of a real profile (a kilobyte rendered).</summary>
    static JsonObject Profile(int n, string? userNamePrefix = null)
    {
        var userName = $"{userNamePrefix ?? "user" + n.ToString(CultureInfo.InvariantCulture)}@{Domain}";
        var given = GivenNames[n % GivenNames.Length];
        var family = "Person" + n.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.UserUrn, ScimSchemas.EnterpriseUserUrn),
            ["userName"] = userName,
            ["externalId"] = $"00u{n:x8}",
            ["name"] = new JsonObject { ["givenName"] = given, ["familyName"] = family, ["formatted"] = $"{given} {family}" },
            ["displayName"] = $"{given} {family}",
            ["title"] = "Engineer",
            ["locale"] = "en-US",
            ["timezone"] = "Europe/Paris",
            ["emails"] = new JsonArray(
                new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true },
                new JsonObject { ["value"] = $"{family.ToLowerInvariant()}@home.example", ["type"] = "home" }),
            ["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = $"+33 1 {n % 100:00} {n / 100 % 100:00} {n / 10_000 % 100:00} 00", ["type"] = "work" }),
            ["addresses"] = new JsonArray(new JsonObject
            {
                ["type"] = "work", ["streetAddress"] = $"{n % 200} Rue de Rivoli", ["locality"] = "Paris", ["postalCode"] = "75001", ["country"] = "FR", ["primary"] = true,
            }),
            ["active"] = true,
            [ScimSchemas.EnterpriseUserUrn] = new JsonObject
            {
                ["employeeNumber"] = n.ToString(CultureInfo.InvariantCulture),
                ["department"] = Departments[n % Departments.Length],
                ["costCenter"] = $"CC-{n % 50:000}",
                ["organization"] = "Bench Corp",
            },
        };
    }

    sealed record Seed(Enterprise Enterprise, string Token, List<string> Ids, string SmallGroup, string BigGroup, int BigGroupSize,
        List<string> EmptyGroups, int FirstOutsideGroups, double Seconds);

    /// <summary>The enterprise, its token, N members (user1 … userN, in order) and groups: one of
    /// 1,000, one of up to 50,000, three empty ones for the 10,000-member PATCH. Members past
    /// <see cref="Seed.FirstOutsideGroups"/> are in no group.</summary>
    static async Task<Seed> SeedAsync(RosterDirectory directory, int count)
    {
        var watch = Stopwatch.StartNew();
        var enterprise = await directory.Enterprises.CreateAsync("Bench");
        // SCIM provisioning is what is measured: switched on directly, without the SAML it waits for.
        await directory.Enterprises.SetScimEnabledAsync(enterprise, true);
        var token = await directory.Tokens.CreateAsync(enterprise, "bench", null);
        var type = await directory.Schemas.UserResourceTypeAsync(enterprise);
        var ids = (await directory.MemberBulkLoad.LoadAsync(enterprise, type, Enumerable.Range(1, count).Select(n => Profile(n)))).ToList();
        var bigSize = Math.Min(50_000, count / 2);
        async Task<string> GroupAsync(string name, IReadOnlyList<string> memberIds) =>
            (await directory.Groups.CreateAsync(enterprise,
                ResourceNormalizer.NormalizeRequestBody(new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.GroupUrn), ["displayName"] = name },
                    ScimSchemas.GroupResourceType), memberIds,
                new ProvisioningAttempt { EnterpriseId = enterprise.Id, Method = "POST", Path = "/Groups", Operation = "create", StartedAt = DateTimeOffset.UtcNow })).Id;
        var small = await GroupAsync("Small group", ids.Take(1_000).ToList());
        var big = await GroupAsync("Big group", ids.Skip(1_000).Take(bigSize).ToList());
        var empty = new List<string>();
        for (var i = 0; i < 3; i++) empty.Add(await GroupAsync($"Reorg {i + 1}", []));
        if (directory.Database.Dialect is PostgresDialect)
        {
            // What autovacuum does after a bulk load (see --scenario scale in bench/README.md).
            await directory.Database.ReadAsync(async c =>
            {
                var vacuum = c.Command("VACUUM ANALYZE");
                vacuum.CommandTimeout = 0;
                return await vacuum.ExecuteAsync();
            });
        }
        else
        {
            await directory.Database.ReadAsync(c => c.Command("ANALYZE").ExecuteAsync());
        }
        return new Seed(enterprise, token.Secret, ids, small, big, bigSize, empty, 1_000 + bigSize, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The cursor of the directory's last page of 100: the key of the row before it.</summary>
    static async Task<string> EndCursorAsync(RosterDirectory directory, Enterprise enterprise, int count)
    {
        var row = await directory.Database.ReadAsync(c => c.Command(
                "SELECT created_at, id FROM members WHERE enterprise_id = @e AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1 OFFSET @o")
            .With("@e", enterprise.Id).With("@o", count - 101).ListAsync(r => (CreatedAt: r.GetInt64(0), Id: r.GetString(1))));
        return new PageCursor(row[0].CreatedAt, row[0].Id, false, PageCursor.Fingerprint("User", null)).Encode();
    }

    static async Task<JsonObject> LoadAsync(string root, string url, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, "bench/Roster.Load/bin/Release/net10.0/roster-load.dll"));
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(url);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        var result = (text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null)
                     ?? throw new InvalidOperationException($"roster-load exited with {process.ExitCode} without a result: {await error}");
        if ((long)result["errors"]! > 0) throw new InvalidOperationException($"roster-load saw unexpected answers: {result.ToJsonString()} {await error}");
        return result;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Roster.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Run from within the Roster repository.");
    }

    static string Git(string root, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = root, RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }

    /// <summary>A child process listening on a free loopback port, killed at the end.</summary>
    abstract class ChildProcess : IAsyncDisposable
    {
        protected Process Process { get; private set; } = null!;
        public string Url { get; private set; } = "";

        protected async Task StartAsync(string dll, string arguments, string readyPath)
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments} --urls {Url}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["DOTNET_gcServer"] = "0";
            Process = Process.Start(start)!;
            Process.OutputDataReceived += (_, _) => { };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"  [{Path.GetFileNameWithoutExtension(dll)}] {e.Data}"); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (Process.HasExited) throw new InvalidOperationException($"{dll} exited with {Process.ExitCode} before it was ready.");
                if (watch.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException($"{dll} was not ready after 120 s.");
                try
                {
                    using var response = await http.GetAsync(Url + readyPath);
                    if (response.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(5);
            }
            StartupMs = (DateTime.Now - Process.StartTime).TotalMilliseconds;
        }

        public double StartupMs { get; private set; }

        /// <summary>Resets the kernel's peak resident set (VmHWM) of the process: writing 5 to clear_refs.</summary>
        public void ResetPeakMemory() => File.WriteAllText($"/proc/{Process.Id}/clear_refs", "5");

        public double PeakMemoryMiB()
        {
            var line = File.ReadLines($"/proc/{Process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
            Process.Dispose();
        }
    }

    sealed class ServerProcess : ChildProcess
    {
        public static async Task<ServerProcess> StartAsync(string root, string storeArgument)
        {
            var server = new ServerProcess();
            await server.StartAsync(Path.Combine(root, "src/Roster/bin/Release/net10.0/Roster.dll"),
                $"serve {storeArgument} --rate-limit-token 0 --rate-limit-enterprise 0", "/readyz");
            return server;
        }
    }

    sealed class CeilingProcess : ChildProcess
    {
        public static async Task<CeilingProcess> StartAsync(string root, int bytes)
        {
            var ceiling = new CeilingProcess();
            await ceiling.StartAsync(Path.Combine(root, "bench/Roster.Ceiling/bin/Release/net10.0/roster-ceiling.dll"), $"--bytes {bytes}",
                "/scim/v2/bench/Users/1");
            return ceiling;
        }
    }
}
