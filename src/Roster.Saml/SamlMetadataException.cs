namespace Roster.Saml;

/// <summary>IdP metadata that Roster cannot use, or could not fetch. The message is written for the
/// administrator who supplied it: it says what is wrong and, where it helps, what to do instead.</summary>
public sealed class SamlMetadataException : Exception
{
    public SamlMetadataException(string message) : base(message) { }

    public SamlMetadataException(string message, Exception innerException) : base(message, innerException) { }
}
