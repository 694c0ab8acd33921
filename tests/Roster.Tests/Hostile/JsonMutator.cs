using System.Text;
using System.Text.Json.Nodes;

namespace Roster.Tests.Hostile;

/// <summary>
/// Mutations of JSON request bodies, from a seeded <see cref="Random"/>: structural ones that keep the
/// text valid JSON (so that the SCIM parsers behind the JSON reader are reached), and byte-level ones
/// each of which makes the body invalid on its own (a prefix, invalid UTF-8, an unescaped control
/// character in a string, NUL, an unpaired surrogate, too deep a nesting, trailing text).
/// </summary>
public sealed class JsonMutator(Random random)
{
    static readonly string[] Keys =
    [
        "userName", "USERNAME", "name", "emails", "active", "displayName", "schemas", "id", "meta", "externalId", "members", "groups",
        "Operations", "op", "path", "value", "password", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "nickName",
        "phoneNumbers", "roles", "x509Certificates", "meta.created", "", " ", "$ref", "__proto__", "constructor", "name.givenName",
        "emails[type eq \"work\"].value", "urn:ietf:params:scim:schemas:core:2.0:User:userName", "\u00e9", "\ud83d\ude00",
    ];

    public JsonNode? RandomValue(int depth = 0)
    {
        switch (random.Next(depth > 3 ? 9 : 12))
        {
            case 0: return null;
            case 1: return JsonValue.Create(random.Next(2) == 0);
            case 2: return JsonValue.Create(random.Next(5) switch { 0 => long.MaxValue, 1 => long.MinValue, 2 => -1, 3 => 0, _ => random.Next() });
            case 3: return JsonValue.Create(random.Next(3) switch { 0 => 1.5e300, 1 => -0.0, _ => random.NextDouble() });
            case 4: case 5: case 6: case 7: return JsonValue.Create(RandomText());
            case 8: return JsonValue.Create(new string('x', random.Next(2) == 0 ? 10_000 : 300_000));
            case 9: return new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(depth + 1)).ToArray());
            case 10:
                var obj = new JsonObject();
                for (var i = random.Next(4); i > 0; i--) obj[Keys[random.Next(Keys.Length)]] = RandomValue(depth + 1);
                return obj;
            default: return new JsonArray(new JsonObject { ["value"] = RandomValue(depth + 1), ["primary"] = RandomValue(depth + 1) });
        }
    }

    /// <summary>Text a JSON string may hold (no NUL, no lone surrogate): what survives the reader.</summary>
    public string RandomText() => random.Next(14) switch
    {
        0 => "",
        1 => "   ",
        2 => "e\u0301\u0301\u0301\u0301",
        3 => "\u202e\u200b\ufeff\u2028",
        4 => "\ud83d\ude00\ud83d\udc68\u200d\ud83d\udc69",
        5 => "Robert'); DROP TABLE members;--",
        6 => "\" or 1=1 --",
        7 => "<script>alert(1)</script>",
        8 => "bulkId:nope",
        9 => "%00%ff\\u0000",
        10 => "\u0001\u001f\u007f\t\r\n",
        11 => "2024-13-45T99:99:99Z",
        12 => new string('\u00e9', random.Next(1, 300)),
        _ => Garbage(random.Next(1, 40)),
    };

    string Garbage(int length)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var c = (char)random.Next(0x20, 0x2FFF);
            if (char.IsSurrogate(c)) c = '?';
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>A few random structural changes anywhere in the tree; the result is still JSON.</summary>
    public void Scramble(JsonNode root, int changes)
    {
        for (var i = 0; i < changes; i++)
        {
            var containers = Containers(root).ToList();
            var target = containers[random.Next(containers.Count)];
            switch (target)
            {
                case JsonObject obj when obj.Count > 0 && random.Next(3) == 0:
                    obj.Remove(obj.ElementAt(random.Next(obj.Count)).Key);
                    break;
                case JsonObject obj when obj.Count > 0 && random.Next(2) == 0:
                    obj[obj.ElementAt(random.Next(obj.Count)).Key] = RandomValue();
                    break;
                case JsonObject obj:
                    obj[Keys[random.Next(Keys.Length)]] = RandomValue();
                    break;
                case JsonArray array when array.Count > 0 && random.Next(2) == 0:
                    array[random.Next(array.Count)] = RandomValue();
                    break;
                case JsonArray array when array.Count > 0 && random.Next(2) == 0:
                    array.RemoveAt(random.Next(array.Count));
                    break;
                case JsonArray array:
                    array.Add(RandomValue());
                    break;
            }
        }
    }

    static IEnumerable<JsonNode> Containers(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is JsonObject or JsonArray)
            {
                foreach (var inner in Containers(child)) yield return inner;
            }
        }
    }

    /// <summary>The body made invalid at the byte level, with the name of the defect.</summary>
    public (byte[] Body, string Defect) Break(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var strings = StringStarts(bytes);
        var inString = strings.Count > 0 ? strings[random.Next(strings.Count)] : -1;
        switch (random.Next(inString < 0 ? 4 : 9))
        {
            case 0:
                return (bytes[..random.Next(1, bytes.Length - 1)], "truncated");
            case 1:
                return (Concat(bytes, Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "}", 1 => ",{}", _ => " x" })), "trailing text");
            case 2:
                var depth = Roster.Scim.Discovery.RequestLimits.JsonDepth + 1 + random.Next(200);
                return (Encoding.UTF8.GetBytes(json[..^1] + ",\"deep\":" + new string('[', depth) + new string(']', depth) + "}"), "nesting too deep");
            case 3:
                return (Insert(bytes, random.Next(1, bytes.Length - 1), InvalidUtf8()), "invalid UTF-8");
            case 4:
                return (Insert(bytes, inString, InvalidUtf8()), "invalid UTF-8 in a string");
            case 5:
                return (Insert(bytes, inString, Encoding.UTF8.GetBytes("\\u0000")), "NUL in a string");
            case 6:
                return (Insert(bytes, inString, Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "\\ud800" : "\\udc00x")), "unpaired surrogate in a string");
            case 7:
                return (Insert(bytes, inString, [(byte)random.Next(0, 0x20)]), "unescaped control character in a string");
            default:
                return (Insert(bytes, inString, Encoding.UTF8.GetBytes("\\q")), "invalid escape in a string");
        }
    }

    byte[] InvalidUtf8() => random.Next(5) switch
    {
        0 => [0xFF],
        1 => [0xC0, 0x80],             // overlong NUL
        2 => [0xED, 0xA0, 0x80],       // an encoded surrogate
        3 => [0xE2, 0x82],             // a truncated sequence
        _ => [0x80],                   // a lone continuation byte
    };

    /// <summary>Positions right after the opening quote of each string in the text.</summary>
    static List<int> StringStarts(byte[] bytes)
    {
        var starts = new List<int>();
        var inside = false;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\\' && inside) { i++; continue; }
            if (bytes[i] != (byte)'"') continue;
            if (!inside) starts.Add(i + 1);
            inside = !inside;
        }
        return starts;
    }

    static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
