namespace Roster.AdminApi;

/// <summary>A request the admin API refuses before touching any store: a body that is not JSON, a
/// field or query parameter with a bad value. The filter turns it into an <see cref="ApiProblem"/>.</summary>
public sealed class ApiRequestException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public static ApiRequestException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);
}
