using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>Small DOM-building helpers shared by the test IdP's writer, signer and encryptor.</summary>
internal static class XmlBuilding
{
    public static XmlElement Add(this XmlElement parent, string prefix, string localName, string namespaceUri)
    {
        var child = parent.OwnerDocument.CreateElement(prefix, localName, namespaceUri);
        parent.AppendChild(child);
        return child;
    }

    public static XmlElement With(this XmlElement element, string attribute, string? value)
    {
        if (value is not null) element.SetAttribute(attribute, value);
        return element;
    }

    public static XmlElement Text(this XmlElement element, string text)
    {
        element.AppendChild(element.OwnerDocument.CreateTextNode(text));
        return element;
    }

    /// <summary>Declares a prefix on this element explicitly, as IdPs do, rather than wherever the
    /// serializer would first need it.</summary>
    public static XmlElement Declare(this XmlElement element, string prefix, string namespaceUri)
    {
        var declaration = prefix.Length == 0
            ? element.OwnerDocument.CreateAttribute("xmlns", SamlNamespaces.XmlNs)
            : element.OwnerDocument.CreateAttribute("xmlns", prefix, SamlNamespaces.XmlNs);
        declaration.Value = namespaceUri;
        element.Attributes.Append(declaration);
        return element;
    }

    public static XmlElement? Child(this XmlElement parent, string namespaceUri, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == localName && e.NamespaceURI == namespaceUri);

    public static IEnumerable<XmlElement> Descendants(this XmlNode root, string namespaceUri, string localName) =>
        root.SelectNodes("descendant::*")!.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == namespaceUri);
}
