using System.Xml;
using Roster.Saml.Responses;

namespace Roster.Saml.Tests;

/// <summary>The reference resolver: one element, by SAML's ID attribute, or nothing. The runtime's
/// resolver would pick an Id="x" over the real ID="x".</summary>
public sealed class StrictIdResolutionTests
{
    [Fact]
    public void The_one_element_with_the_ID_is_found()
    {
        var document = Load("<r><a ID='_x'/><b ID='_y'/></r>");

        Assert.Equal("a", StrictIdSignedXml.ResolveId(document, "_x")?.LocalName);
    }

    [Fact]
    public void An_Id_attribute_carrying_the_same_value_makes_the_reference_ambiguous()
    {
        var document = Load("<r><evil Id='_x'/><a ID='_x'/></r>");

        Assert.Null(StrictIdSignedXml.ResolveId(document, "_x"));
        Assert.Equal("evil", new System.Security.Cryptography.Xml.SignedXml(document).GetIdElement(document, "_x")?.LocalName);
    }

    [Fact]
    public void Only_SAMLs_ID_attribute_is_a_target()
    {
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r><a Id='_x'/></r>"), "_x"));
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r><a id='_x'/></r>"), "_x"));
    }

    [Fact]
    public void Two_elements_with_the_same_ID_resolve_to_nothing() =>
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r><a ID='_x'/><b ID='_x'/></r>"), "_x"));

    [Fact]
    public void A_value_that_is_not_an_NCName_resolves_to_nothing()
    {
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r><a ID='x y'/></r>"), "x y"));
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r><a ID='1x'/></r>"), "1x"));
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r/>"), "xpointer(/)"));
        Assert.Null(StrictIdSignedXml.ResolveId(Load("<r/>"), ""));
    }

    private static XmlDocument Load(string xml) => SafeXml.Load(xml, 10_000);
}
