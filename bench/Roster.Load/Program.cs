// roster-load: the load generator of Roster's benchmarks, a process of its own so that the server
// measured does not share its runtime (GC, thread pool) with the client. See LoadOptions.Usage.
using Roster.Load;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine($"roster-load: {e.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
var result = await LoadRun.RunAsync(options);
Console.WriteLine(result.ToJsonString());
return (long)result["errors"]! > 0 ? 1 : 0;
