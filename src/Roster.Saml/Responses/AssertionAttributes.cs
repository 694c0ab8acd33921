using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>Reads the AttributeStatements of the verified Assertion: values by Attribute Name, text
/// through InnerText (all text nodes, never a first child).</summary>
internal static class AssertionAttributes
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(XmlElement assertion)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var attributes = assertion.Children(SamlNames.Assertion, "AttributeStatement")
            .SelectMany(statement => statement.Children(SamlNames.Assertion, "Attribute"));
        foreach (var attribute in attributes)
        {
            string? name = attribute.AttributeOrNull("Name");
            if (string.IsNullOrEmpty(name)) continue;
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            foreach (var value in attribute.Children(SamlNames.Assertion, "AttributeValue"))
            {
                // xsi:nil is "no value", which is not the empty string.
                if (value.GetAttribute("nil", SamlNames.XmlSchemaInstance) is "true" or "1") continue;
                list.Add(value.InnerText);
            }
        }
        return values.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value.AsReadOnly(), StringComparer.Ordinal)
            .AsReadOnly();
    }
}
