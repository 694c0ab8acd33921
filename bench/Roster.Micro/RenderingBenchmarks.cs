using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Micro;

/// <summary>
/// What a GET costs after the database: the stored resource text parsed, rendered as a SCIM User (id,
/// schemas, meta), projected by <c>attributes</c>/<c>excludedAttributes</c>, and serialized as the
/// response's bytes, as the host writes them. A list page of 100 is 100 of these and the envelope.
/// </summary>
[MemoryDiagnoser]
public class RenderingBenchmarks : IVerifiedBenchmark
{
    static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly ResourceMeta Meta = new(DateTimeOffset.UnixEpoch.AddDays(20_000), DateTimeOffset.UnixEpoch.AddDays(20_100), 3,
        "https://roster.example.com/scim/v2/acme/Users/0190a8f2-7d1c-7b3e-9c1d-2f6a8b9c0d1e");
    const string Id = "0190a8f2-7d1c-7b3e-9c1d-2f6a8b9c0d1e";

    string stored = "";
    ResourceProjection userNameAndEmails = null!;
    ResourceProjection withoutGroups = null!;

    [GlobalSetup]
    public void Setup()
    {
        stored = Profiles.Canonical().ToJsonString();
        userNameAndEmails = ResourceProjection.Parse("userName,emails", null, ScimSchemas.UserResourceType);
        withoutGroups = ResourceProjection.Parse(null, "groups", ScimSchemas.UserResourceType);
    }

    byte[] Render(ResourceProjection projection)
    {
        var attributes = (JsonObject)JsonNode.Parse(stored)!;
        var resource = projection.Apply(ResourceWriter.Render(ScimSchemas.UserResourceType, Id, attributes, Meta));
        return JsonSerializer.SerializeToUtf8Bytes(resource, WriteOptions);
    }

    [Benchmark] public byte[] RenderUser() => Render(ResourceProjection.Everything);
    [Benchmark] public byte[] RenderUserExcludingGroups() => Render(withoutGroups);
    [Benchmark] public byte[] RenderUserNameAndEmails() => Render(userNameAndEmails);

    [Benchmark]
    public byte[] RenderListPageOf100()
    {
        var resources = new List<JsonNode>(100);
        for (var i = 0; i < 100; i++)
            resources.Add(ResourceWriter.Render(ScimSchemas.UserResourceType, Id, (JsonObject)JsonNode.Parse(stored)!, Meta));
        return JsonSerializer.SerializeToUtf8Bytes(ListResponse.Create(resources, 100_000, 1), WriteOptions);
    }

    public void Verify()
    {
        Setup();
        var full = JsonNode.Parse(RenderUser())!;
        Check.That(full["id"]?.GetValue<string>() == Id, "the rendered User has its id");
        Check.That(full["meta"]?["version"]?.GetValue<string>() == "W/\"3\"", "the rendered User has its version");
        Check.That(full["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["department"]?.GetValue<string>() == "Engineering",
            "the enterprise extension is rendered");
        var projected = JsonNode.Parse(RenderUserNameAndEmails())!.AsObject();
        Check.That(projected["userName"] is not null && projected["emails"] is not null && projected["id"] is not null,
            "attributes=userName,emails keeps them and the id");
        Check.That(projected["name"] is null && projected["title"] is null, "attributes=userName,emails drops the rest");
        var page = JsonNode.Parse(RenderListPageOf100())!;
        Check.That(page["Resources"]!.AsArray().Count == 100 && page["totalResults"]!.GetValue<long>() == 100_000, "a page of 100 and its total");
    }
}
