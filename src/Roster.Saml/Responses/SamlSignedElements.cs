namespace Roster.Saml.Responses;

/// <summary>Which elements of an accepted Response carried a signature that verified.</summary>
[Flags]
public enum SamlSignedElements
{
    None = 0,
    Response = 1,
    Assertion = 2,
}
