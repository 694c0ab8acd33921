using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Tests.Hostile;

/// <summary>The ids of what exists in the fuzzed enterprise, so that writes aim at real resources too.</summary>
public sealed record FuzzTargets(IReadOnlyList<string> MemberIds, IReadOnlyList<string> GroupIds, string Cursor);

/// <summary>
/// Generates hostile SCIM requests from a seed. Every write it makes is invalid by construction: each
/// carries at least one defect that alone must get it refused (named in the case's category), on top
/// of random changes elsewhere. Reads (filters, query strings, gets) may be valid by chance; what they
/// may answer is in <see cref="Expectation.ReadOnly"/>, and a filter case knows whether Roster's own
/// parser takes its filter.
/// </summary>
public sealed class ScimFuzzGenerator(Random random, FuzzTargets targets)
{
    static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    readonly JsonMutator json = new(random);
    readonly FilterFuzzer filters = new(random);
    int number;

    public HostileRequest Next()
    {
        number++;
        return random.Next(20) switch
        {
            0 or 1 or 2 => BrokenJson(),
            3 or 4 or 5 => InvalidUser(),
            6 or 7 => InvalidGroup(),
            8 or 9 or 10 => InvalidPatch(),
            11 => InvalidBulk(),
            12 or 13 or 14 => Filter(),
            15 or 16 => QueryString(),
            17 => Paths(),
            18 => UrlDefect(),
            _ => UnsupportedContent(),
        };
    }

    string Member => targets.MemberIds[random.Next(targets.MemberIds.Count)];
    string Group => targets.GroupIds[random.Next(targets.GroupIds.Count)];
    string NewName => $"fuzz{random.Next(1_000_000)}@acme.example";

    JsonObject Corpus(out string method, out string target)
    {
        (method, target, var text) = random.Next(8) switch
        {
            0 => ("POST", "Users", HostileCorpus.OktaUser(NewName)),
            1 => ("POST", "Users", HostileCorpus.EntraUser(NewName)),
            2 => ("PUT", $"Users/{Member}", HostileCorpus.EntraUser(NewName)),
            3 => ("PATCH", $"Users/{Member}", random.Next(2) == 0 ? HostileCorpus.OktaDeactivate : HostileCorpus.EntraPatch),
            4 => ("POST", "Groups", HostileCorpus.Group($"Fuzz {random.Next()}", Member)),
            5 => ("PUT", $"Groups/{Group}", HostileCorpus.Group($"Fuzz {random.Next()}", Member)),
            6 => ("PATCH", $"Groups/{Group}", HostileCorpus.GroupMembersPatch(Member)),
            _ => ("POST", "Bulk", HostileCorpus.Bulk(NewName)),
        };
        return (JsonObject)JsonNode.Parse(text)!;
    }

    static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Raw));

    HostileRequest Write(string category, string method, string target, byte[] body, string contentType = ScimClient.ScimJson) =>
        new(number, category, method, target, body, contentType, Expectation.Refused);

    HostileRequest BrokenJson()
    {
        var body = Corpus(out var method, out var target);
        if (random.Next(2) == 0) json.Scramble(body, random.Next(1, 4));
        var (bytes, defect) = json.Break(body.ToJsonString(Raw));
        return Write("json: " + defect, method, target, bytes);
    }

    HostileRequest InvalidUser()
    {
        var body = (JsonObject)JsonNode.Parse(random.Next(2) == 0 ? HostileCorpus.OktaUser(NewName) : HostileCorpus.EntraUser(NewName))!;
        json.Scramble(body, random.Next(0, 5));
        var (defect, value) = random.Next(5) switch
        {
            0 => ("userName missing", (JsonNode?)null),
            1 => ("userName an object", new JsonObject { ["value"] = NewName }),
            // One element would do: Roster takes a one-element array for a single value, as Entra sends some.
            2 => ("userName an array of two", new JsonArray(JsonValue.Create(NewName), JsonValue.Create(NewName))),
            3 => ("userName empty", JsonValue.Create("")),
            _ => ("userName a boolean", JsonValue.Create(true)),
        };
        foreach (var key in body.Select(p => p.Key).Where(k => k.Equals("userName", StringComparison.OrdinalIgnoreCase) || k.EndsWith(":userName", StringComparison.OrdinalIgnoreCase)).ToList()) body.Remove(key);
        if (value is not null) body["userName"] = value;
        var put = random.Next(3) == 0;
        return Write("user: " + defect, put ? "PUT" : "POST", put ? $"Users/{Member}" : "Users", Utf8(body));
    }

    HostileRequest InvalidGroup()
    {
        var body = (JsonObject)JsonNode.Parse(HostileCorpus.Group($"Fuzz {random.Next()}", Member, Member))!;
        json.Scramble(body, random.Next(0, 5));
        var (defect, value) = random.Next(4) switch
        {
            0 => ("displayName missing", (JsonNode?)null),
            1 => ("displayName blank", JsonValue.Create("   ")),
            2 => ("displayName an object", new JsonObject { ["value"] = "x" }),
            _ => ("displayName an array", new JsonArray()),
        };
        foreach (var key in body.Select(p => p.Key).Where(k => k.Equals("displayName", StringComparison.OrdinalIgnoreCase) || k.EndsWith(":displayName", StringComparison.OrdinalIgnoreCase)).ToList()) body.Remove(key);
        if (value is not null) body["displayName"] = value;
        var put = random.Next(3) == 0;
        return Write("group: " + defect, put ? "PUT" : "POST", put ? $"Groups/{Group}" : "Groups", Utf8(body));
    }

    static readonly (string Defect, string Operation)[] FatalOperations =
    [
        ("unknown op", """{"op":"frobnicate","path":"displayName","value":"x"}"""),
        ("path syntax", """{"op":"replace","path":"emails[type eq ]","value":"x"}"""),
        ("path syntax", """{"op":"add","path":"name..givenName","value":"x"}"""),
        ("remove without path", """{"op":"remove"}"""),
        ("op missing", """{"path":"displayName","value":"x"}"""),
        ("op not a string", """{"op":["replace"],"path":"displayName","value":"x"}"""),
        ("unknown attribute", """{"op":"replace","path":"shoeSize","value":"44"}"""),
        ("operation not an object", "\"replace\""),
    ];

    HostileRequest InvalidPatch()
    {
        var group = random.Next(3) == 0;
        var body = (JsonObject)JsonNode.Parse(group ? HostileCorpus.GroupMembersPatch(Member) : HostileCorpus.EntraPatch)!;
        var operations = (JsonArray)body["Operations"]!;
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            operations.Add(new JsonObject
            {
                ["op"] = random.Next(3) switch { 0 => "add", 1 => "replace", _ => "remove" },
                ["path"] = filters.RandomPath(group ? ScimSchemas.GroupResourceType : ScimSchemas.UserResourceType),
                ["value"] = json.RandomValue(),
            });
        }
        json.Scramble(operations, random.Next(0, 3));
        var (defect, fatal) = FatalOperations[random.Next(FatalOperations.Length)];
        operations.Insert(random.Next(operations.Count + 1), JsonNode.Parse(fatal));
        return Write("patch: " + defect, "PATCH", group ? $"Groups/{Group}" : $"Users/{Member}", Utf8(body));
    }

    HostileRequest InvalidBulk()
    {
        var body = (JsonObject)JsonNode.Parse(HostileCorpus.Bulk(NewName))!;
        var operations = (JsonArray)body["Operations"]!;
        // Every operation invalid: the user and group without their required attribute, the PATCH of
        // the user that was not created (bulkId:u1), and a random one from the generator's own writes.
        operations[0]!["data"]!.AsObject().Remove("userName");
        operations[1]!["data"]!["displayName"] = "  ";
        if (random.Next(2) == 0)
        {
            var extra = random.Next(2) == 0 ? InvalidUser() : InvalidGroup();
            number--;
            operations.Add(new JsonObject
            {
                ["method"] = extra.Method, ["path"] = "/" + extra.Target, ["bulkId"] = "x" + random.Next(),
                ["data"] = JsonNode.Parse(extra.Body!),
            });
        }
        var defect = "every operation invalid";
        switch (random.Next(5))
        {
            case 0:
                body.Remove("schemas");
                defect = "schemas missing";
                break;
            case 1:
                operations[random.Next(operations.Count)]!["method"] = random.Next(2) == 0 ? "GET" : "";
                defect = "method not allowed";
                break;
            case 2:
                operations[0]!.AsObject().Remove("bulkId");
                defect = "POST without bulkId";
                break;
        }
        return new HostileRequest(number, "bulk: " + defect, "POST", "Bulk", Utf8(body), ScimClient.ScimJson, Expectation.EveryBulkOperationRefused);
    }

    HostileRequest Filter()
    {
        var users = random.Next(3) != 0;
        var type = users ? ScimSchemas.UserResourceType : ScimSchemas.GroupResourceType;
        var filter = random.Next(3) == 0 ? filters.Mutate(HostileCorpus.Filters[random.Next(HostileCorpus.Filters.Length)]) : filters.RandomFilter(type);
        bool parses;
        try
        {
            ScimFilterParser.Parse(filter, type);
            parses = true;
        }
        catch (ScimException)
        {
            parses = false;
        }
        var collection = users ? "Users" : "Groups";
        var encoded = Uri.EscapeDataString(filter);
        if (random.Next(4) == 0 || encoded.Length > 6000 || filter.Any(char.IsSurrogate))
        {
            var search = new JsonObject { ["schemas"] = new JsonArray(JsonValue.Create(HostileCorpus.SearchUrn)), ["filter"] = filter, ["count"] = random.Next(-5, 20) };
            return new HostileRequest(number, "filter (search)", "POST", $"{collection}/.search", Encoding.UTF8.GetBytes(search.ToJsonString(Raw)),
                ScimClient.ScimJson, Expectation.ReadOnly, parses);
        }
        return new HostileRequest(number, "filter", "GET", $"{collection}?filter={encoded}", null, null, Expectation.ReadOnly, parses);
    }

    HostileRequest QueryString()
    {
        var parts = new List<string>();
        string Junk() => random.Next(4) switch
        {
            0 => Uri.EscapeDataString(json.RandomText()),
            1 => random.Next(-3, 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            2 => random.Next(3) switch { 0 => "99999999999999999999999", 1 => "-1e9", _ => "0x10" },
            _ => "",
        };
        var type = random.Next(2) == 0 ? ScimSchemas.UserResourceType : ScimSchemas.GroupResourceType;
        if (random.Next(2) == 0) parts.Add("count=" + Junk());
        if (random.Next(2) == 0) parts.Add("startIndex=" + Junk());
        if (random.Next(3) == 0) parts.Add("attributes=" + Uri.EscapeDataString(string.Join(",", Enumerable.Range(0, random.Next(1, 4)).Select(_ => filters.RandomPath(type)))));
        if (random.Next(3) == 0) parts.Add("excludedAttributes=" + Uri.EscapeDataString(filters.RandomPath(type)));
        if (random.Next(2) == 0) parts.Add("sortBy=" + Uri.EscapeDataString(random.Next(3) == 0 ? json.RandomText() : filters.RandomPath(type)));
        if (random.Next(3) == 0) parts.Add("sortOrder=" + (random.Next(3) == 0 ? "sideways" : Junk()));
        if (random.Next(3) == 0) parts.Add("cursor=" + Uri.EscapeDataString(random.Next(2) == 0 ? filters.Mutate(targets.Cursor) : json.RandomText()));
        if (random.Next(5) == 0) parts.Add("filter=" + Uri.EscapeDataString(filters.RandomFilter(type)));
        if (random.Next(6) == 0) parts.Add(Uri.EscapeDataString(json.RandomText()) + "=" + Junk());
        var collection = type == ScimSchemas.UserResourceType ? "Users" : "Groups";
        var target = random.Next(4) == 0 ? $"{collection}/{(collection == "Users" ? Member : Group)}" : collection;
        return new HostileRequest(number, "query string", "GET", target + "?" + string.Join("&", parts), null, null, Expectation.ReadOnly);
    }

    HostileRequest Paths()
    {
        var junk = random.Next(8) switch
        {
            0 => Guid.NewGuid().ToString(),
            1 => Member + "x",
            2 => Uri.EscapeDataString(json.RandomText()),
            3 => "..%2F..%2FGroups",
            4 => new string('a', random.Next(300, 4000)),
            5 => Member.ToUpperInvariant() + "%20",
            6 => "bulkId:u1",
            _ => "%2e%2e",
        };
        var collection = random.Next(2) == 0 ? "Users" : "Groups";
        return random.Next(4) switch
        {
            0 => new HostileRequest(number, "path: get", "GET", $"{collection}/{junk}", null, null, Expectation.ReadOnly),
            1 => Write("path: delete of no resource", "DELETE", $"{collection}/{junk}", []) with { ContentType = null, Body = null },
            2 => Write("path: put of no resource", "PUT", $"{collection}/{junk}",
                Encoding.UTF8.GetBytes(collection == "Users" ? HostileCorpus.OktaUser(NewName) : HostileCorpus.Group("Nobody"))),
            _ => Write("path: method not allowed", random.Next(2) == 0 ? "PROPFIND" : "POST", $"{collection}/{junk}", Encoding.UTF8.GetBytes("{}")),
        };
    }

    HostileRequest UrlDefect()
    {
        var defect = random.Next(5) switch { 0 => "%00", 1 => "%FF", 2 => "%C3%28", 3 => "%E2%82", _ => "%ED%A0%80" };
        var filter = Uri.EscapeDataString(HostileCorpus.Filters[random.Next(HostileCorpus.Filters.Length)]);
        var at = random.Next(filter.Length + 1);
        while (at > 0 && at < filter.Length && (filter[at - 1] == '%' || (at > 1 && filter[at - 2] == '%'))) at--;
        return random.Next(4) switch
        {
            0 => Write("url: in an id", "DELETE", $"Users/{Member}{defect}", []) with { ContentType = null, Body = null },
            1 => Write("url: in an id", "PATCH", $"Users/{defect}{Member}", Encoding.UTF8.GetBytes(HostileCorpus.OktaDeactivate)),
            2 => Write("url: in a PUT's query", "PUT", $"Users/{Member}?attributes=userName{defect}", Encoding.UTF8.GetBytes(HostileCorpus.OktaUser(NewName))),
            _ => new HostileRequest(number, "url: in a filter", "GET", $"Users?filter={filter[..at]}{defect}{filter[at..]}", null, null, Expectation.Refused),
        };
    }

    HostileRequest UnsupportedContent()
    {
        var body = Corpus(out var method, out var target);
        var type = random.Next(4) switch { 0 => "text/plain", 1 => "application/xml", 2 => "multipart/form-data; boundary=x", _ => "application/x-www-form-urlencoded" };
        return Write("content type " + type, method, target, Utf8(body), type);
    }
}
