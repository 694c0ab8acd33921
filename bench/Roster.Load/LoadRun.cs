using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Roster.Load;

/// <summary>
/// One bounded load run: <see cref="LoadOptions.Concurrency"/> clients, each sending its next request
/// as soon as the last is answered (closed loop), over one HTTP/1.1 keep-alive connection each, every
/// response read to the end. Latencies are kept whole (a sorted array, not a sketch): a run is at
/// most a few hundred thousand requests.
/// </summary>
static class LoadRun
{
    public static async Task<JsonObject> RunAsync(LoadOptions options)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

        // The measured run numbers its requests on from the warm-up's: {i} stays unique (no create of a taken userName).
        long sent = 0;
        if (options.Warmup > TimeSpan.Zero)
            sent = (int)(await DriveAsync(http, options with { Duration = options.Warmup, Requests = long.MaxValue }, 0))["requests"]!;
        return await DriveAsync(http, options, sent);
    }

    static async Task<JsonObject> DriveAsync(HttpClient http, LoadOptions options, long firstNumber)
    {
        var latencies = new ConcurrentBag<double[]>();
        var statuses = new ConcurrentDictionary<int, long>();
        long next = -1, errors = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            var mine = new List<double>(4096);
            long i;
            while (Stopwatch.GetTimestamp() < deadline && (i = Interlocked.Increment(ref next)) < options.Requests)
            {
                var number = (firstNumber + i).ToString(CultureInfo.InvariantCulture);
                var scripted = options.Script?[(int)((firstNumber + i) % options.Script.Count)];
                var path = (scripted?.Path ?? options.Paths[(int)((firstNumber + i) % options.Paths.Count)]).Replace("{i}", number, StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(scripted?.Method ?? options.Method), path);
                foreach (var (name, value) in options.Headers) request.Headers.TryAddWithoutValidation(name, value);
                if ((scripted is null ? options.Body : scripted.Body) is { } body)
                {
                    request.Content = new StringContent(body.Replace("{i}", number, StringComparison.Ordinal), Encoding.UTF8);
                    request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(options.ContentType);
                }
                var start = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status == 0 || (options.Expect is { } expected && status != expected)) Interlocked.Increment(ref errors);
            }
            latencies.Add(mine.ToArray());
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        var result = new JsonObject
        {
            ["requests"] = all.Length,
            ["errors"] = errors,
            ["seconds"] = Math.Round(seconds, 3),
            ["rps"] = Math.Round(all.Length / seconds, 1),
            ["p50Ms"] = Math.Round(P(0.50), 3),
            ["p90Ms"] = Math.Round(P(0.90), 3),
            ["p99Ms"] = Math.Round(P(0.99), 3),
            ["maxMs"] = Math.Round(all.Length == 0 ? 0 : all[^1], 3),
            ["statuses"] = new JsonObject(statuses.OrderBy(s => s.Key).Select(s =>
                new KeyValuePair<string, JsonNode?>(s.Key.ToString(CultureInfo.InvariantCulture), s.Value))),
        };
        return result;
    }
}
