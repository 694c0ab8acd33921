namespace Roster.Scim.Resources;

/// <summary>
/// An <c>If-Match</c> or <c>If-None-Match</c> header (RFC 9110 §13.1, RFC 7644 §3.14): a list of
/// entity tags or <c>*</c>. Versions are compared weakly: <c>W/"3"</c> and <c>"3"</c> name the same
/// version, since Roster's tags are weak by nature (they count changes, not bytes).
/// </summary>
public sealed class EntityTagCondition
{
    readonly bool any;
    readonly HashSet<string> tags;

    EntityTagCondition(bool any, HashSet<string> tags)
    {
        this.any = any;
        this.tags = tags;
    }

    /// <summary>The condition of a header, or null when the request has none.</summary>
    public static EntityTagCondition? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var tags = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        foreach (var raw in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "*")
            {
                any = true;
                continue;
            }
            var tag = raw.StartsWith("W/", StringComparison.OrdinalIgnoreCase) ? raw[2..] : raw;
            tags.Add(tag.Trim('"'));
        }
        return new EntityTagCondition(any, tags);
    }

    /// <summary>True when the resource at <paramref name="version"/> is one the header names.</summary>
    public bool Matches(long version) =>
        any || tags.Contains(version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
