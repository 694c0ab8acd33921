using System.Text;
using Roster.Scim.Schema;

namespace Roster.Tests.Hostile;

/// <summary>SCIM filters and attribute paths from a seeded <see cref="Random"/>: generated from the
/// grammar of RFC 7644 §3.4.2.2 with wrong tokens mixed in, or real filters mutated character by character.</summary>
public sealed class FilterFuzzer(Random random)
{
    static readonly string[] Operators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Eq", "eqq", "=", "==", "like", "in"];
    static readonly string[] Junk = ["(", ")", "[", "]", "\"", "'", "\\", ".", ":", "and", "or", "not", "pr", " ", "\t", "\u00a0", "%", "*", "$ref", "\u0301", "\ud83d\ude00"];

    public string RandomPath(ResourceTypeDefinition type)
    {
        var attributes = type.Schema.Attributes;
        var attribute = attributes[random.Next(attributes.Count)];
        return random.Next(12) switch
        {
            0 => "meta." + (random.Next(2) == 0 ? "lastModified" : "nope"),
            1 => type.Schema.Id + ":" + attribute.Name,
            2 => "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:" + (random.Next(2) == 0 ? "employeeNumber" : "manager.value"),
            3 => "noSuchAttribute",
            4 => attribute.Name.ToUpperInvariant(),
            5 => attribute.Name + "[" + Comparison(type, 0) + "]" + (random.Next(2) == 0 ? ".value" : ""),
            6 => attribute.Name + "." + (attribute.SubAttributes.Count > 0 ? attribute.SubAttributes[random.Next(attribute.SubAttributes.Count)].Name : "value"),
            7 => attribute.Name + "..x",
            8 => "",
            _ => attribute.Name,
        };
    }

    public string RandomFilter(ResourceTypeDefinition type) => Expression(type, 0);

    string Expression(ResourceTypeDefinition type, int depth)
    {
        // Now and then far deeper than the parser's limit, to reach it.
        if (depth == 0 && random.Next(25) == 0)
        {
            var levels = Roster.Scim.Filtering.ScimFilterParser.MaxDepth - 5 + random.Next(20);
            return new string('(', levels) + Comparison(type, depth) + new string(')', levels);
        }
        if (depth > 4) return Comparison(type, depth);
        return random.Next(7) switch
        {
            0 => Expression(type, depth + 1) + (random.Next(2) == 0 ? " and " : " or ") + Expression(type, depth + 1),
            1 => "(" + Expression(type, depth + 1) + ")",
            2 => "not (" + Expression(type, depth + 1) + ")",
            3 => Expression(type, depth + 1) + Junk[random.Next(Junk.Length)],
            _ => Comparison(type, depth),
        };
    }

    string Comparison(ResourceTypeDefinition type, int depth)
    {
        var path = depth > 3 ? "userName" : RandomPath(type);
        if (random.Next(6) == 0) return path + " pr";
        return path + " " + Operators[random.Next(Operators.Length)] + " " + Value();
    }

    string Value() => random.Next(12) switch
    {
        0 => "true",
        1 => "null",
        2 => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => "1e999",
        4 => "\"2024-01-01T00:00:00Z\"",
        5 => "\"unterminated",
        6 => "\"esc\\\"aped \\u00e9 \\uZZZZ\"",
        7 => "\"" + new string('x', random.Next(1, 9000)) + "\"",
        8 => "\"e\u0301\"",
        9 => "bare",
        _ => "\"ann@acme.example\"",
    };

    /// <summary>A few character-level edits of <paramref name="text"/>.</summary>
    public string Mutate(string text)
    {
        var builder = new StringBuilder(text);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var at = random.Next(builder.Length + 1);
            switch (random.Next(5))
            {
                case 0 when builder.Length > 0 && at < builder.Length:
                    builder.Remove(at, Math.Min(random.Next(1, 5), builder.Length - at));
                    break;
                case 1:
                    builder.Insert(at, Junk[random.Next(Junk.Length)]);
                    break;
                case 2 when builder.Length > 0:
                    var start = random.Next(builder.Length);
                    builder.Insert(at, builder.ToString(start, Math.Min(random.Next(1, 12), builder.Length - start)));
                    break;
                case 3:
                    builder.Insert(at, (char)random.Next(0x21, 0x7f));
                    break;
                default:
                    if (at < builder.Length) builder[at] = (char)random.Next(0x20, 0x250);
                    break;
            }
        }
        return builder.ToString();
    }
}
