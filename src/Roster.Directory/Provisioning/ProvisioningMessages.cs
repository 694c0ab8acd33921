namespace Roster.Directory.Provisioning;

/// <summary>A failed attempt's request as the IdP sent it and Roster's answer, secrets removed.</summary>
public sealed record ProvisioningMessages(string? RequestHeaders, string? RequestBody, bool RequestBodyTruncated, string? ResponseBody,
    bool ResponseBodyTruncated);
