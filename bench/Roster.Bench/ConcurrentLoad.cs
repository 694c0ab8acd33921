using System.Diagnostics;
using System.Globalization;

/// <summary>The bench's one load loop: <paramref name="count"/> requests from <paramref name="concurrency"/>
/// concurrent clients, each request timed; the step's row (req/s, p50, p95, p99) is printed unless
/// <paramref name="kind"/> is null (a warm-up).</summary>
static class ConcurrentLoad
{
    public static async Task MeasureAsync(string? kind, string step, int count, int concurrency, Func<int, Task> request)
    {
        var latencies = new double[count];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await request(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        if (kind is null) return;
        var elapsed = watch.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(count - 1, (int)(q * count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {kind} | {step} | {count} | {count / elapsed:0} | {P(0.50):0.0} | {P(0.95):0.0} | {P(0.99):0.0} |"));
    }
}
