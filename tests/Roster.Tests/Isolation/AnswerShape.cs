using System.Text.Json.Nodes;

namespace Roster.Tests.Isolation;

/// <summary>What an answer tells its caller about an id it was asked about: the status, the content
/// type, and the body with the id's own text replaced, without what differs between any two requests
/// (a created resource's id, its meta, a request id). The answer about another enterprise's id and the
/// answer about an id that exists nowhere must have the same shape: otherwise the first reveals that
/// the id exists.</summary>
public static class AnswerShape
{
    static readonly HashSet<string> Volatile =
        ["id", "meta", "location", "version", "requestId", "createdAt", "created", "lastModified", "traceId", "updatedAt", "addedAt", "removedAt", "hint", "token", "secret", "key"];

    public static string Of(int status, string? contentType, string body, string probe)
    {
        var text = body.Replace(probe, "{PROBE}", StringComparison.Ordinal);
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        if (json is not null)
        {
            Strip(json);
            text = json.ToJsonString();
        }
        return $"{status} {contentType}\n{text}";
    }

    static void Strip(JsonNode node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Select(p => p.Key).Where(Volatile.Contains).ToList()) o.Remove(key);
            foreach (var (_, value) in o) if (value is not null) Strip(value);
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a) if (item is not null) Strip(item);
        }
    }

    /// <summary>Fails when <paramref name="body"/>, with the probe's own text removed, names anything of
    /// the other tenant: its marker word or one of its ids.</summary>
    public static void AssertMentionsNothingOf(Tenant other, string marker, string body, string probe, string what)
    {
        var text = probe.Length > 0 ? body.Replace(probe, "", StringComparison.Ordinal) : body;
        Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{what} mentions {marker}: {body}");
        foreach (var id in other.Ids.Concat(other.DeliveryIds.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(d => d.Length > 3)))
            Assert.False(text.Contains(id, StringComparison.Ordinal), $"{what} names {other.Enterprise.Slug}'s id {id}: {body}");
    }
}
