using Roster.Scim.Errors;

namespace Roster.Scim.Schema;

/// <summary>
/// A declared schema Roster refuses, with where in the Schema resource the problem is
/// (<c>attributes[1] (badgeNumber).type</c>). A SCIM error (400 invalidValue), so that an endpoint that
/// accepts schemas one day answers it like any other bad input.
/// </summary>
public sealed class InvalidSchemaException(string location, string problem)
    : ScimException(400, ScimErrorType.InvalidValue, location.Length == 0 ? problem : $"{location}: {problem}")
{
    /// <summary>The JSON location of the problem; "" for the document as a whole.</summary>
    public string Location { get; } = location;

    /// <summary>What is wrong there, without the location.</summary>
    public string Problem { get; } = problem;
}
