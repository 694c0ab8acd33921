using System.Globalization;

namespace Roster.Load;

/// <summary>What one load run sends: to which URLs, how, how much and from how many clients. Bounded
/// both ways: the run stops at <see cref="Duration"/> or after <see cref="Requests"/>, whichever comes first.</summary>
sealed record LoadOptions
{
    public required Uri BaseUrl { get; init; }
    public string Method { get; init; } = "GET";
    /// <summary>Paths (or absolute URLs) sent in turn; <c>{i}</c> in a path or body is the request's number.</summary>
    public required IReadOnlyList<string> Paths { get; init; }
    public string? Body { get; init; }
    /// <summary>Requests sent in turn instead of <see cref="Paths"/> and <see cref="Body"/>: each its own
    /// method, path and body (a PUT of each member with its own userName, a PATCH adding each its member).</summary>
    public IReadOnlyList<ScriptedRequest>? Script { get; init; }
    public string ContentType { get; init; } = "application/scim+json";
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    public int Concurrency { get; init; } = 8;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public long Requests { get; init; } = long.MaxValue;
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    /// <summary>The status every answer must have; another one counts as an error.</summary>
    public int? Expect { get; init; }

    public const string Usage = """
        roster-load --url BASE [--path P]... [--paths-file F] [--method GET|POST|PUT|PATCH|DELETE] [--body TEXT | --body-file F]
                    [--content-type T] [--header "Name: value"]... [--concurrency N] [--duration SECONDS] [--requests N]
                    [--warmup SECONDS] [--expect STATUS] [--script F]
        Sends HTTP/1.1 requests with keep-alive from N concurrent clients until the duration or the request count
        is reached, and prints one JSON object: requests, errors, seconds, rps, latency percentiles (ms), statuses.
        {i} in a path or the body is replaced by the request's number (0, 1, 2, ...): distinct userNames for creates.
        --script F: one JSON object a line, {"method":"PUT","path":"Users/ID","body":{...}}, sent in turn instead of
        --path/--body (method defaults to --method).
        """;

    public static LoadOptions Parse(string[] args)
    {
        Uri? url = null;
        var paths = new List<string>();
        var headers = new List<(string, string)>();
        string method = "GET", contentType = "application/scim+json";
        string? body = null;
        List<ScriptedRequest>? script = null;
        int concurrency = 8;
        int? expect = null;
        double duration = 10, warmup = 0;
        long requests = long.MaxValue;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url": url = new Uri(Value()); break;
                case "--path": paths.Add(Value()); break;
                case "--paths-file": paths.AddRange(File.ReadAllLines(Value()).Where(l => l.Length > 0)); break;
                case "--method": method = Value().ToUpperInvariant(); break;
                case "--body": body = Value(); break;
                case "--body-file": body = File.ReadAllText(Value()); break;
                case "--content-type": contentType = Value(); break;
                case "--header":
                    var header = Value();
                    var colon = header.IndexOf(':');
                    if (colon <= 0) throw new ArgumentException($"--header is \"Name: value\", not '{header}'.");
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "--concurrency": concurrency = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--duration": duration = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--requests": requests = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--script": script = File.ReadLines(Value()).Where(l => l.Length > 0).Select(ScriptedRequest.Parse).ToList(); break;
                case "--expect": expect = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (url is null) throw new ArgumentException("Give --url.");
        if (script is { Count: 0 }) throw new ArgumentException("--script names a file without a request.");
        if (paths.Count == 0) paths.Add("");
        if (concurrency < 1 || duration <= 0 || requests < 1) throw new ArgumentException("--concurrency, --duration and --requests are positive.");
        return new LoadOptions
        {
            BaseUrl = url, Method = method, Paths = paths, Body = body, ContentType = contentType, Headers = headers, Concurrency = concurrency,
            Duration = TimeSpan.FromSeconds(duration), Requests = requests, Warmup = TimeSpan.FromSeconds(warmup), Expect = expect,
            Script = script,
        };
    }
}

/// <summary>One request of a <c>--script</c> file.</summary>
sealed record ScriptedRequest(string? Method, string Path, string? Body)
{
    public static ScriptedRequest Parse(string line)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(line) as System.Text.Json.Nodes.JsonObject
                   ?? throw new ArgumentException($"A --script line is a JSON object, not '{line}'.");
        var path = node["path"]?.GetValue<string>() ?? throw new ArgumentException($"A --script line needs a path: '{line}'.");
        return new ScriptedRequest(node["method"]?.GetValue<string>()?.ToUpperInvariant(), path, node["body"]?.ToJsonString());
    }
}
