using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Testing;
using Roster.Webhooks;

namespace Roster.Tests.Webhooks;

/// <summary>
/// The receiver recipes in docs/webhooks.md (C#, Node, Python) are the files under docs/webhooks,
/// word for word, and each is run here against signatures Roster's own signer made: it accepts a
/// true delivery and refuses an altered body, a wrong secret, an old timestamp and a malformed
/// header. A recipe that a broken signature would pass fails these tests. Node and Python are needed
/// (.ci/run installs them); elsewhere their tests are skipped with a notice, on CI they fail.
/// </summary>
public sealed class VerificationRecipeTests
{
    const string Secret = "whsec_Y2hvb3NlIGEgbG9uZyByYW5kb20gc2VjcmV0IGZvciB0ZXN0cw";
    const string Body = """{"id":"01a2254e-3b7c-74dd-9e14-76abaea2ec19","type":"member.provisioned","data":{"member":{"userName":"zoë@acme.example"}}}""";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    /// <summary>Each case: the header, the body and the secret a receiver is given, and whether it must accept.</summary>
    static IEnumerable<(string Name, string Secret, string Header, string Body, bool Valid)> Cases()
    {
        var signed = WebhookSignature.Sign(Secret, Now.AddSeconds(-30), Body);
        yield return ("a true delivery", Secret, signed, Body, true);
        yield return ("a second, rotated signature beside the true one", Secret, signed + ",v1=" + new string('0', 64), Body, true);
        yield return ("an altered body", Secret, signed, Body.Replace("zoë", "zoe"), false);
        yield return ("a wrong secret", Secret + "x", signed, Body, false);
        yield return ("a timestamp six minutes old", Secret, WebhookSignature.Sign(Secret, Now.AddMinutes(-6), Body), Body, false);
        yield return ("the signature of another timestamp", Secret, "t=" + (Now.ToUnixTimeSeconds() - 1) + "," + signed.Split(',')[1], Body, false);
        yield return ("no signature", Secret, "t=" + Now.ToUnixTimeSeconds(), Body, false);
        yield return ("a malformed header", Secret, "garbage", Body, false);
        yield return ("an upper-case forgery of nothing", Secret, "t=" + Now.ToUnixTimeSeconds() + ",v1=" + new string('A', 64), Body, false);
    }

    [Fact]
    public void The_documented_recipes_are_the_tested_files()
    {
        var document = File.ReadAllText(DocsPath("webhooks.md"));
        foreach (var recipe in new[] { "RosterWebhookVerifier.cs", "verify.js", "verify.py" })
            Assert.Contains(File.ReadAllText(DocsPath(Path.Combine("webhooks", recipe))).TrimEnd(), document);
    }

    [Fact]
    public void The_CSharp_recipe_accepts_true_deliveries_and_refuses_the_rest()
    {
        foreach (var c in Cases())
            Assert.True(RosterWebhookVerifier.IsValid(c.Secret, c.Header, c.Body, Now, TimeSpan.FromMinutes(5)) == c.Valid, c.Name);
    }

    [Fact]
    public async Task The_Node_recipe_accepts_true_deliveries_and_refuses_the_rest() =>
        await RunRecipeAsync("node", """
            const { isValidRosterSignature } = require(process.argv[2]);
            const cases = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
            console.log(JSON.stringify(cases.map(c => isValidRosterSignature(c.secret, c.header, c.body, c.now, 300))));
            """, ".js", "verify.js");

    [Fact]
    public async Task The_Python_recipe_accepts_true_deliveries_and_refuses_the_rest() =>
        await RunRecipeAsync("python3", """
            import importlib.util, json, sys
            spec = importlib.util.spec_from_file_location("verify", sys.argv[1])
            verify = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(verify)
            cases = json.load(open(sys.argv[2], encoding="utf-8"))
            print(json.dumps([verify.is_valid_roster_signature(c["secret"], c["header"], c["body"], c["now"], 300) for c in cases]))
            """, ".py", "verify.py");

    static async Task RunRecipeAsync(string program, string harness, string extension, string recipe)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("roster-recipe-");
        try
        {
            var harnessPath = Path.Combine(directory.FullName, "harness" + extension);
            await File.WriteAllTextAsync(harnessPath, harness);
            var casesPath = Path.Combine(directory.FullName, "cases.json");
            var cases = Cases().ToList();
            await File.WriteAllTextAsync(casesPath, new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["secret"] = c.Secret, ["header"] = c.Header, ["body"] = c.Body, ["now"] = Now.ToUnixTimeSeconds(),
            }).ToArray()).ToJsonString());

            var output = await RunAsync(program, harnessPath, DocsPath(Path.Combine("webhooks", recipe)), casesPath);
            var results = JsonSerializer.Deserialize<bool[]>(output)!;
            Assert.Equal(cases.Count, results.Length);
            for (var i = 0; i < cases.Count; i++) Assert.True(results[i] == cases[i].Valid, $"{recipe}: {cases[i].Name}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            var reason = $"{program} is not installed ({e.Message})";
            if (PostgresCluster.IsCi) Assert.Fail($"CI=true, so the webhook recipe tests must run, but {reason}. .ci/run installs it.");
            Console.WriteLine($"NOTICE: skipping a webhook recipe test: {reason}");
            Assert.Skip(reason);
            throw;
        }
        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{program} exited {process.ExitCode}: {error}");
            return output.Trim();
        }
    }

    static string DocsPath(string name) => RepositoryFiles.PathOf("docs", name);
}
