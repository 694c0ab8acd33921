// roster-micro: BenchmarkDotNet micro-benchmarks of Roster's hot paths (filter parsing and translation,
// PATCH, rendering with projection, token lookup), allocations reported per operation.
//
//   dotnet run -c Release --project bench/Roster.Micro -- --filter '*'        every benchmark, measured
//   dotnet run -c Release --project bench/Roster.Micro -- --filter '*Patch*'  one class
//   dotnet run -c Release --project bench/Roster.Micro -- --filter '*' --short  a quick reading (ShortRun)
//   dotnet run -c Release --project bench/Roster.Micro -- --dry               correctness only (CI): each
//       benchmark's Verify, then one in-process invocation of every benchmark (BenchmarkDotNet's Dry job)
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Roster.Micro;

var benchmarks = typeof(IVerifiedBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IVerifiedBenchmark).IsAssignableFrom(t)).OrderBy(t => t.Name).ToArray();

if (args is ["--dry"])
{
    var failed = 0;
    foreach (var type in benchmarks)
    {
        try
        {
            ((IVerifiedBenchmark)Activator.CreateInstance(type)!).Verify();
            Console.WriteLine($"roster-micro: {type.Name} verified");
        }
        catch (Exception e)
        {
            failed++;
            Console.Error.WriteLine($"roster-micro: {type.Name} FAILED: {e}");
        }
    }
    var config = ManualConfig.CreateMinimumViable()
        .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    var summaries = BenchmarkSwitcher.FromTypes(benchmarks).RunAll(config);
    var broken = summaries.SelectMany(s => s.Reports).Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo).ToList();
    var ran = summaries.Sum(s => s.Reports.Length);
    foreach (var name in broken) Console.Error.WriteLine($"roster-micro: {name} did not run");
    Console.WriteLine($"roster-micro --dry: {benchmarks.Length} classes verified with {failed} failures; {ran} benchmarks run once, {broken.Count} failed");
    return failed == 0 && broken.Count == 0 && ran > 0 ? 0 : 1;
}

// In-process: BenchmarkDotNet's default toolchain builds a copy of the project it finds by the
// assembly's name, and roster-micro is not Roster.Micro.csproj (it stopped with "Unable to find
// roster-micro"). --short: BenchmarkDotNet's ShortRun job (3 iterations), for a quick reading.
var quick = args.Contains("--short");
var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var measured = DefaultConfig.Instance.AddJob(job);
var summariesMeasured = BenchmarkSwitcher.FromTypes(benchmarks).Run(args.Where(a => a != "--short").ToArray(), measured);
return summariesMeasured.Any() && summariesMeasured.All(s => s.Reports.All(r => r.Success)) ? 0 : 1;
