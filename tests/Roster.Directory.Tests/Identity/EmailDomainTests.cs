using Roster.Directory;
using Roster.Directory.Identity;

namespace Roster.Directory.Tests.Identity;

public sealed class EmailDomainTests
{
    [Theory]
    [InlineData("acme.com", "acme.com")]
    [InlineData("  @Acme.COM. ", "acme.com")]
    [InlineData("Bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("eu.acme.co.uk", "eu.acme.co.uk")]
    public void A_domain_is_stored_lower_case_in_its_IDNA_form(string typed, string stored) => Assert.Equal(stored, EmailDomain.Normalize(typed));

    [Theory]
    [InlineData("localhost")]
    [InlineData("acme..com")]
    [InlineData("jane@acme.com")]
    [InlineData("acme com")]
    [InlineData("-acme.com")]
    [InlineData("")]
    public void What_is_not_a_domain_is_refused_with_what_to_give(string typed)
    {
        var refused = Assert.Throws<RosterException>(() => EmailDomain.Normalize(typed));
        Assert.EndsWith("give a name such as acme.com (without the part before the @).", refused.Message);
    }

    [Theory]
    [InlineData("jane@acme.com", "acme.com")]
    [InlineData("Jane@Bücher.Example", "xn--bcher-kva.example")]
    [InlineData("jane", null)]
    [InlineData("jane@", null)]
    [InlineData("@acme.com", null)]
    public void The_domain_of_an_address(string address, string? domain) => Assert.Equal(domain, EmailDomain.Of(address));

    [Theory]
    [InlineData("acme.com", true)]
    [InlineData("eu.acme.com", true)]
    [InlineData("notacme.com", false)]
    [InlineData("acme.com.evil.example", false)]
    [InlineData("gmail.com", false)]
    public void A_domain_covers_itself_and_its_subdomains_only(string domain, bool within) =>
        Assert.Equal(within, EmailDomain.IsWithin(domain, ["acme.com", "acme.de"]));
}
