using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Patching;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Tests.Hostile;

namespace Roster.Scim.Tests.Hostile;

/// <summary>
/// The parsers alone, fed the HTTP fuzzing's generators many more times than a server could be: a
/// filter, a PATCH body or a resource is either accepted or refused with a <see cref="ScimException"/>
/// of status 400; no other exception ever escapes (it would be a 500). Seeded: ROSTER_FUZZ_SEED replays.
/// </summary>
public sealed class ParserFuzzTests
{
    static int Seed => int.TryParse(Environment.GetEnvironmentVariable("ROSTER_FUZZ_SEED"), out var seed) ? seed : 20261129;

    [Fact]
    public void Generated_and_mutated_filters_parse_or_fail_with_invalidFilter()
    {
        const int cases = 10_000;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {Seed}, {cases} filters");
        var random = new Random(Seed);
        var filters = new FilterFuzzer(random);
        var refused = 0;
        for (var i = 0; i < cases; i++)
        {
            var type = random.Next(2) == 0 ? ScimSchemas.UserResourceType : ScimSchemas.GroupResourceType;
            var text = random.Next(3) == 0 ? filters.Mutate(filters.RandomFilter(type)) : filters.RandomFilter(type);
            try
            {
                ScimFilterParser.Parse(text, type);
            }
            catch (ScimException e)
            {
                Assert.True(e is { Status: 400, ScimType: ScimErrorType.InvalidFilter }, $"seed {Seed} case {i}: {e.Status} {e.ScimType} for {text}");
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} case {i}: {e.GetType().Name} ({e.Message}) for the filter {text}");
            }
        }
        // Both outcomes are reached: the generator is not stuck on one side of the grammar.
        Assert.InRange(refused, cases / 20, cases - cases / 20);
    }

    [Fact]
    public void Mutated_patch_bodies_and_resources_are_accepted_or_refused_with_a_400()
    {
        const int cases = 3_000;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {Seed}, {cases} bodies");
        var random = new Random(Seed);
        var json = new JsonMutator(random);
        var filters = new FilterFuzzer(random);
        var user = ScimSchemas.UserResourceType;
        var existing = ResourceNormalizer.NormalizeRequestBody(JsonNode.Parse(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","emails":[{"value":"ann@acme.example","type":"work","primary":true}],"name":{"givenName":"Ann"}}"""), user);
        for (var i = 0; i < cases; i++)
        {
            var patch = new JsonObject
            {
                ["schemas"] = new JsonArray(JsonValue.Create("urn:ietf:params:scim:api:messages:2.0:PatchOp")),
                ["Operations"] = new JsonArray(Enumerable.Range(0, random.Next(1, 4)).Select(_ => (JsonNode?)new JsonObject
                {
                    ["op"] = random.Next(4) switch { 0 => "add", 1 => "Replace", 2 => "remove", _ => "move" },
                    ["path"] = filters.RandomPath(user),
                    ["value"] = json.RandomValue(),
                }).ToArray()),
            };
            json.Scramble(patch, random.Next(0, 3));
            var resource = (JsonObject)existing.DeepClone();
            json.Scramble(resource, random.Next(1, 4));
            try
            {
                PatchEngine.Apply((JsonObject)existing.DeepClone(), PatchRequest.Parse(patch, user), user);
            }
            catch (ScimException e)
            {
                Assert.True(e.Status == 400, $"seed {Seed} case {i}: {e.Status} for {patch.ToJsonString()}");
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} case {i}: {e.GetType().Name} ({e.Message}) for the PATCH {patch.ToJsonString()}");
            }
            try
            {
                ResourceNormalizer.NormalizeRequestBody(resource, user);
            }
            catch (ScimException e)
            {
                Assert.True(e.Status == 400, $"seed {Seed} case {i}: {e.Status} for {resource.ToJsonString()}");
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} case {i}: {e.GetType().Name} ({e.Message}) for the resource {resource.ToJsonString()}");
            }
        }
    }
}
