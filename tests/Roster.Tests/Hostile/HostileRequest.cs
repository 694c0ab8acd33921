namespace Roster.Tests.Hostile;

/// <summary>What an answer to a hostile request may be.</summary>
public enum Expectation
{
    /// <summary>A write that is invalid by construction: a 4xx SCIM Error, nothing changed.</summary>
    Refused,

    /// <summary>A read (list, search, get): a 200 or a 4xx SCIM Error; reads change nothing either way.</summary>
    ReadOnly,

    /// <summary>A Bulk whose every operation is invalid: a 4xx SCIM Error for the whole request, or a
    /// 200 BulkResponse in which every operation failed with a 4xx SCIM Error.</summary>
    EveryBulkOperationRefused,
}

/// <summary>One generated request. <paramref name="Target"/> is relative to the enterprise's SCIM base
/// and sent as written (escapes included, invalid ones too). <paramref name="FilterParses"/>: for a
/// filter case, whether Roster's own parser accepts the filter (the oracle: a filter it refuses must
/// never be answered 200).</summary>
public sealed record HostileRequest(
    int Number, string Category, string Method, string Target, byte[]? Body, string? ContentType, Expectation Expect, bool? FilterParses = null)
{
    public string Describe()
    {
        var body = Body is null ? "" : " body: " + DescribeBytes(Body);
        return $"case {Number} [{Category}] {Method} {Target}{(ContentType is null ? "" : $" ({ContentType})")}{body}";
    }

    static string DescribeBytes(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 600)));
        var shown = new string(text.Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return body.Length > 600 ? $"{shown}... ({body.Length} bytes)" : shown;
    }
}
