using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Roster.Scim.Patching;
using Roster.Scim.Schema;

namespace Roster.Micro;

/// <summary>PATCH as IdPs send it, parsed and applied to a stored User: Okta's deactivation, and
/// Entra's several operations with paths and filters.</summary>
[MemoryDiagnoser]
public class PatchBenchmarks : IVerifiedBenchmark
{
    static readonly JsonNode OktaDeactivate = JsonNode.Parse("""
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}
        """)!;
    static readonly JsonNode EntraUpdate = JsonNode.Parse("""
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
          {"op":"Replace","path":"displayName","value":"Jane Q. Doe"},
          {"op":"Replace","path":"emails[type eq \"work\"].value","value":"jane.q.doe@acme.example"},
          {"op":"Replace","path":"name.familyName","value":"Doe-Smith"},
          {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Research"},
          {"op":"Remove","path":"phoneNumbers[type eq \"work\"]"}]}
        """)!;

    JsonObject stored = null!;
    PatchRequest deactivate = null!;
    PatchRequest entra = null!;

    [GlobalSetup]
    public void Setup()
    {
        stored = Profiles.Canonical();
        deactivate = PatchRequest.Parse(OktaDeactivate, ScimSchemas.UserResourceType);
        entra = PatchRequest.Parse(EntraUpdate, ScimSchemas.UserResourceType);
    }

    [Benchmark] public PatchRequest ParseEntraUpdate() => PatchRequest.Parse(EntraUpdate, ScimSchemas.UserResourceType);
    [Benchmark] public JsonObject ApplyOktaDeactivate() => PatchEngine.Apply(stored, deactivate, ScimSchemas.UserResourceType);
    [Benchmark] public JsonObject ApplyEntraUpdate() => PatchEngine.Apply(stored, entra, ScimSchemas.UserResourceType);

    public void Verify()
    {
        Setup();
        Check.That(ParseEntraUpdate().Operations.Count == 5, "Entra's five operations are parsed");
        var deactivated = ApplyOktaDeactivate();
        Check.That(deactivated["active"]?.GetValue<bool>() == false, "Okta's PATCH deactivates");
        Check.That(stored["active"]?.GetValue<bool>() == true, "applying a PATCH leaves the stored resource as it was");
        var updated = ApplyEntraUpdate();
        Check.That(updated["displayName"]?.GetValue<string>() == "Jane Q. Doe", "displayName replaced");
        Check.That(updated["name"]?["familyName"]?.GetValue<string>() == "Doe-Smith", "name.familyName replaced");
        Check.That(updated["emails"]!.AsArray().Any(e => e?["value"]?.GetValue<string>() == "jane.q.doe@acme.example"), "the work email replaced");
        Check.That(updated["phoneNumbers"] is null || updated["phoneNumbers"]!.AsArray().Count == 0, "the work phone removed");
        Check.That(updated["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["department"]?.GetValue<string>() == "Research", "department added");
    }
}
