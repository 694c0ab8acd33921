using System.Diagnostics;
using Roster.Micro;

namespace Roster.Micro.Tests;

/// <summary>
/// CI's pass over the micro-benchmarks (bench/Roster.Micro): each one still measures code that does
/// the right thing, and the BenchmarkDotNet harness still runs every benchmark. Measuring is not done
/// here: figures come from a Release run on a quiet machine (bench/README.md).
/// </summary>
public sealed class MicroBenchmarkTests
{
    public static TheoryData<string> Benchmarks() => new(typeof(IVerifiedBenchmark).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IVerifiedBenchmark).IsAssignableFrom(t)).Select(t => t.FullName!).Order());

    [Theory]
    [MemberData(nameof(Benchmarks))]
    public void A_benchmark_measures_code_that_gives_the_right_result(string benchmark)
    {
        var instance = (IVerifiedBenchmark)Activator.CreateInstance(typeof(IVerifiedBenchmark).Assembly.GetType(benchmark)!)!;
        instance.Verify();
    }

    [Fact]
    public void Every_micro_benchmark_is_verified()
    {
        // A [Benchmark] in a class that cannot verify itself would measure without anyone knowing it still works.
        var unverified = typeof(IVerifiedBenchmark).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)))
            .Where(t => !typeof(IVerifiedBenchmark).IsAssignableFrom(t)).Select(t => t.Name).ToList();
        Assert.Empty(unverified);
        Assert.True(Benchmarks().Count >= 4);
    }

    [Fact]
    public async Task The_dry_run_invokes_every_benchmark_once_through_BenchmarkDotNet()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "roster-micro.dll");
        var work = System.IO.Directory.CreateTempSubdirectory("roster-micro-dry-");
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--dry");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            var text = await output;
            Assert.True(process.ExitCode == 0, $"roster-micro --dry exited with {process.ExitCode}:\n{text}\n{await error}");
            var summary = text.Split('\n').Last(l => l.StartsWith("roster-micro --dry:", StringComparison.Ordinal));
            var benchmarkCount = typeof(IVerifiedBenchmark).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods()).Count(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false));
            Assert.Contains($"{benchmarkCount} benchmarks run once, 0 failed", summary);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
