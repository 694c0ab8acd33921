// roster-ceiling: the ceiling of this machine for the benchmarks' ratios. A bare Kestrel endpoint that
// answers every GET with the same JSON body, the size of a SCIM User as Roster renders one, through
// the same network stack, HTTP server and load generator (bench/Roster.Load) as Roster itself: what
// a request costs when the application does nothing. Issue 9 reports each scenario's throughput as a
// ratio of this one, so that figures compare across machines and runs.
//
//   dotnet bench/Roster.Ceiling/bin/Release/net10.0/roster-ceiling.dll [--urls http://127.0.0.1:5090] [--bytes 1100]
using System.Globalization;
using System.Text;

var urls = Option("--urls") ?? "http://127.0.0.1:5090";
var bytes = int.Parse(Option("--bytes") ?? "1100", CultureInfo.InvariantCulture);
var body = Encoding.UTF8.GetBytes(UserOfSize(bytes));

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(urls);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/{**path}", async context =>
{
    context.Response.ContentType = "application/scim+json";
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body);
});
await app.StartAsync();
Console.WriteLine($"roster-ceiling listening on {urls}, answering {body.Length} bytes");
await app.WaitForShutdownAsync();

// A SCIM User's JSON, padded in its displayName to exactly the size asked for.
static string UserOfSize(int size)
{
    const string Start = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"01a2254e-3b7c-74dd-9e14-76abaea2ec19","userName":"user1@bench.example","name":{"givenName":"User","familyName":"N1"},"emails":[{"value":"user1@bench.example","type":"work","primary":true}],"active":true,"meta":{"resourceType":"User","created":"2026-11-29T03:16:53.120Z","lastModified":"2026-11-29T03:16:53.120Z","version":"W/\"1\"","location":"https://roster.example/scim/v2/bench/Users/01a2254e-3b7c-74dd-9e14-76abaea2ec19"},"displayName":""";
    const string End = "\"}";
    return Start + new string('x', Math.Max(0, size - Start.Length - End.Length)) + End;
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
