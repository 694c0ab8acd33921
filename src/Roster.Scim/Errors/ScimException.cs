namespace Roster.Scim.Errors;

/// <summary>
/// A failure that becomes a SCIM Error response (RFC 7644 §3.12). Everything that can go wrong with a
/// client's input is thrown as one of these, so that no bad input ever reaches the host as a 500.
/// </summary>
public class ScimException(int status, string? scimType, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string? ScimType { get; } = scimType;
    public string Detail { get; } = detail;

    public static ScimException BadRequest(string scimType, string detail) => new(400, scimType, detail);
    public static ScimException InvalidSyntax(string detail) => new(400, ScimErrorType.InvalidSyntax, detail);
    public static ScimException InvalidValue(string detail) => new(400, ScimErrorType.InvalidValue, detail);
    public static ScimException InvalidFilter(string detail) => new(400, ScimErrorType.InvalidFilter, detail);
    public static ScimException InvalidPath(string detail) => new(400, ScimErrorType.InvalidPath, detail);
    public static ScimException NoTarget(string detail) => new(400, ScimErrorType.NoTarget, detail);
    public static ScimException Mutability(string detail) => new(400, ScimErrorType.Mutability, detail);
    public static ScimException NotFound(string detail) => new(404, null, detail);
    public static ScimException Conflict(string detail) => new(409, ScimErrorType.Uniqueness, detail);
}
