using System.Xml;

namespace Roster.Saml;

/// <summary>
/// The one way Roster.Saml reads XML: no DTD (a DOCTYPE is an error, so no external entity and no
/// entity expansion), no resolver, a size cap, and whitespace kept because signatures digest it. Every
/// message and metadata document goes through here, so there is one parser and one DOM for all of
/// them: parser differentials are a whole class of SAML attacks.
/// </summary>
public static class SafeXml
{
    /// <summary>Parses <paramref name="xml"/> or throws <see cref="XmlException"/> (also for a DOCTYPE
    /// and for a document longer than <paramref name="maxCharacters"/>).</summary>
    public static XmlDocument Load(string xml, long maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        document.Load(reader);
        return document;
    }
}
