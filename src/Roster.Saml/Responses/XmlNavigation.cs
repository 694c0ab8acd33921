using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>Namespace-exact navigation over the one DOM. Walks are iterative (no recursion), so a
/// hostile nesting depth cannot exhaust the stack.</summary>
internal static class XmlNavigation
{
    public static bool Is(this XmlNode node, string namespaceUri, string localName) =>
        node is XmlElement element && element.LocalName == localName && element.NamespaceURI == namespaceUri;

    public static IEnumerable<XmlElement> ChildElements(this XmlElement parent)
    {
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is XmlElement element) yield return element;
        }
    }

    public static List<XmlElement> Children(this XmlElement parent, string namespaceUri, string localName) =>
        parent.ChildElements().Where(child => child.Is(namespaceUri, localName)).ToList();

    /// <summary>Every node below <paramref name="root"/> in document order (attributes excluded).</summary>
    public static IEnumerable<XmlNode> Descendants(this XmlNode root)
    {
        var node = root.FirstChild;
        while (node is not null)
        {
            yield return node;
            if (node.FirstChild is not null)
            {
                node = node.FirstChild;
                continue;
            }
            while (node is not null && node != root && node.NextSibling is null) node = node.ParentNode;
            if (node is null || node == root) yield break;
            node = node.NextSibling;
        }
    }

    public static IEnumerable<XmlElement> DescendantElements(this XmlNode root) => root.Descendants().OfType<XmlElement>();

    /// <summary>The unqualified attribute's value, or null when it is absent (as opposed to empty).</summary>
    public static string? AttributeOrNull(this XmlElement element, string name) =>
        element.GetAttributeNode(name)?.Value;

    /// <summary>"{namespace}local" for details: says exactly what an element is, whatever its prefix.</summary>
    public static string Describe(this XmlElement element) =>
        element.NamespaceURI.Length == 0 ? element.LocalName : $"{{{element.NamespaceURI}}}{element.LocalName}";
}
