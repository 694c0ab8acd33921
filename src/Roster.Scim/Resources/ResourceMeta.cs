namespace Roster.Scim.Resources;

/// <summary>The server-maintained <c>meta</c> of a resource (RFC 7643 §3.1).</summary>
public sealed record ResourceMeta(DateTimeOffset Created, DateTimeOffset LastModified, long Version, string Location)
{
    /// <summary>A weak entity tag (RFC 7644 §3.14): the version counts changes, so equal tags mean
    /// semantically equal resources, not byte-equal bodies.</summary>
    public string ETag => $"W/\"{Version}\"";
}
