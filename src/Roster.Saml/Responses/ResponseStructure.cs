using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Step 5 (and again after decryption): the shape every signature-wrapping attack has to break before
/// any cryptography runs. One Response at the root; exactly one assertion in the whole document, as a
/// direct child of it; no ID value twice; signatures only directly in the Response or the Assertion.
/// </summary>
internal static class ResponseStructure
{
    public static ResponseParts Check(XmlDocument document)
    {
        var response = document.DocumentElement
            ?? throw new SamlRejectedException(SamlRejectionReason.NotAResponse, "The message has no root element.");
        if (!response.Is(SamlNames.Protocol, "Response"))
            throw new SamlRejectedException(SamlRejectionReason.NotAResponse,
                $"The root element is {response.Describe()}; expected {{{SamlNames.Protocol}}}Response.");
        RequireVersionAndId(response, "Response");

        var assertion = SingleAssertion(document, response);
        if (assertion.Is(SamlNames.Assertion, "Assertion")) RequireVersionAndId(assertion, "Assertion");

        RefuseDuplicateIds(document);
        var (responseSignature, assertionSignature) = PlacedSignatures(document, response, assertion);

        bool encrypted = assertion.LocalName == "EncryptedAssertion";
        return new ResponseParts(
            response,
            encrypted ? null : assertion,
            encrypted ? assertion : null,
            responseSignature,
            encrypted ? null : assertionSignature);
    }

    private static void RequireVersionAndId(XmlElement element, string name)
    {
        string? version = element.AttributeOrNull("Version");
        if (version != "2.0")
            throw new SamlRejectedException(SamlRejectionReason.UnsupportedVersion,
                $"The {name} has Version \"{version}\"; expected \"2.0\".");
        if (string.IsNullOrEmpty(element.AttributeOrNull("ID")))
            throw new SamlRejectedException(SamlRejectionReason.MissingId, $"The {name} has no ID attribute.");
    }

    /// <summary>Counted over the whole document, not just the Response's children: an assertion hidden
    /// in Extensions, a ds:Object or an Advice is exactly what a wrapping attack needs.</summary>
    private static XmlElement SingleAssertion(XmlDocument document, XmlElement response)
    {
        var assertions = document.DescendantElements()
            .Where(e => e.Is(SamlNames.Assertion, "Assertion") || e.Is(SamlNames.Assertion, "EncryptedAssertion"))
            .ToList();
        if (assertions.Count == 0)
        {
            // An IdP reporting an error sends no assertion; its status says more than "no assertion".
            string status = StatusCodes(response);
            if (status != SamlNames.StatusSuccess)
                throw new SamlRejectedException(SamlRejectionReason.StatusNotSuccess,
                    $"The IdP answered with status {status} and no assertion.");
            throw new SamlRejectedException(SamlRejectionReason.AssertionCount, "The Response contains no assertion.");
        }
        if (assertions.Count > 1)
            throw new SamlRejectedException(SamlRejectionReason.AssertionCount,
                $"The document contains {assertions.Count} Assertion/EncryptedAssertion elements; exactly one is accepted.");
        var assertion = assertions[0];
        if (assertion.ParentNode != response)
            throw new SamlRejectedException(SamlRejectionReason.MisplacedAssertion,
                $"The {assertion.LocalName} is inside {((XmlElement)assertion.ParentNode!).Describe()}; it must be a direct child of the Response.");
        return assertion;
    }

    /// <summary>The top-level StatusCode, followed by the second-level one when present.</summary>
    public static string StatusCodes(XmlElement response)
    {
        var code = response.Children(SamlNames.Protocol, "Status").FirstOrDefault()
            ?.Children(SamlNames.Protocol, "StatusCode").FirstOrDefault();
        if (code is null) return "(none)";
        string value = code.GetAttribute("Value");
        var second = code.Children(SamlNames.Protocol, "StatusCode").FirstOrDefault();
        return second is null ? value : $"{value} / {second.GetAttribute("Value")}";
    }

    /// <summary>Looks at every attribute named ID, Id or id (any namespace, xml:id too), across names:
    /// the runtime's own resolver prefers Id over ID, so <c>Id="x"</c> next to <c>ID="x"</c> is the
    /// classic way to make a reference resolve to the wrong element.</summary>
    private static void RefuseDuplicateIds(XmlDocument document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in document.DescendantElements())
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.LocalName is not ("ID" or "Id" or "id")) continue;
                if (!seen.Add(attribute.Value))
                    throw new SamlRejectedException(SamlRejectionReason.DuplicateId,
                        $"The identifier \"{attribute.Value}\" is carried by more than one element (again by {element.Describe()}).");
            }
        }
    }

    private static (XmlElement? Response, XmlElement? Assertion) PlacedSignatures(
        XmlDocument document, XmlElement response, XmlElement assertion)
    {
        XmlElement? onResponse = null, onAssertion = null;
        bool assertionIsPlain = assertion.LocalName == "Assertion";
        foreach (var signature in document.DescendantElements().Where(e => e.Is(SamlNames.XmlDsig, "Signature")).ToList())
        {
            var parent = signature.ParentNode as XmlElement;
            if (parent is null || (parent != response && (parent != assertion || !assertionIsPlain)))
                throw new SamlRejectedException(SamlRejectionReason.MisplacedSignature,
                    $"A ds:Signature is inside {parent?.Describe() ?? "the document"}; signatures are accepted only as direct children of the Response or the Assertion.");
            if (parent == response)
                onResponse = onResponse is null ? signature : throw SignedTwice("Response");
            else
                onAssertion = onAssertion is null ? signature : throw SignedTwice("Assertion");
        }
        return (onResponse, onAssertion);
    }

    private static SamlRejectedException SignedTwice(string element) =>
        new(SamlRejectionReason.MisplacedSignature, $"The {element} holds more than one ds:Signature.");
}
