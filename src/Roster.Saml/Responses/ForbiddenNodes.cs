using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Step 4: refuse comments, processing instructions and CDATA anywhere. No IdP emits them, and they
/// are the whole comment-truncation class (<c>admin@acme.com&lt;!----&gt;.evil.com</c> is signed as
/// one string and read as another by careless code). Also caps nesting depth, because the runtime's
/// canonicalization recurses per level.
/// </summary>
internal static class ForbiddenNodes
{
    /// <summary>Far more than any Response needs (about 8 levels; 12 with encryption).</summary>
    public const int MaxDepth = 40;

    public static void Refuse(XmlDocument document)
    {
        int depth = 0;
        XmlNode? node = document.FirstChild;
        while (node is not null)
        {
            CheckNode(node, depth);
            if (node.FirstChild is not null)
            {
                node = node.FirstChild;
                depth++;
                if (depth > MaxDepth)
                    throw new SamlRejectedException(SamlRejectionReason.TooDeeplyNested,
                        $"Elements are nested more than {MaxDepth} levels deep.");
                continue;
            }
            while (node is not null && node.NextSibling is null)
            {
                node = node.ParentNode;
                depth--;
            }
            node = node?.NextSibling;
        }
    }

    private static void CheckNode(XmlNode node, int depth)
    {
        switch (node.NodeType)
        {
            case XmlNodeType.Element:
            case XmlNodeType.Text:
            case XmlNodeType.Whitespace:
            case XmlNodeType.SignificantWhitespace:
                return;
            case XmlNodeType.XmlDeclaration when depth == 0:
                return;
            case XmlNodeType.Comment:
                throw Forbidden("a comment", node);
            case XmlNodeType.ProcessingInstruction:
                throw Forbidden("a processing instruction", node);
            case XmlNodeType.CDATA:
                throw Forbidden("a CDATA section", node);
            default:
                throw Forbidden($"a {node.NodeType} node", node);
        }
    }

    private static SamlRejectedException Forbidden(string what, XmlNode node)
    {
        string where = node.ParentNode is XmlElement parent ? $" inside {parent.Describe()}" : " at the document level";
        return new SamlRejectedException(SamlRejectionReason.ForbiddenNode,
            $"The message contains {what}{where}; comments, processing instructions and CDATA are refused.");
    }
}
