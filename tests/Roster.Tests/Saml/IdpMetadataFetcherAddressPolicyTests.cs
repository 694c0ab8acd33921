using System.Net;
using Roster.Saml;

namespace Roster.Tests.Saml;

/// <summary>Which addresses the metadata fetcher connects to (<see cref="OutboundAddressPolicy"/>).</summary>
public sealed class IdpMetadataFetcherAddressPolicyTests
{
    [Theory]
    // public
    [InlineData("93.184.215.14", false, false)]
    [InlineData("20.190.151.68", false, false)]
    [InlineData("2606:4700::6810:84e5", false, false)]
    [InlineData("100.63.255.255", false, false)]   // just below carrier-grade NAT
    [InlineData("100.128.0.0", false, false)]      // just above it
    [InlineData("172.15.255.255", false, false)]   // just below 172.16/12
    [InlineData("172.32.0.0", false, false)]       // just above it
    [InlineData("11.0.0.0", false, false)]
    // private: allowed only by AllowPrivateAddresses
    [InlineData("127.0.0.1", true, false)]
    [InlineData("127.255.0.9", true, false)]
    [InlineData("10.0.0.1", true, false)]
    [InlineData("172.16.0.1", true, false)]
    [InlineData("172.31.255.254", true, false)]
    [InlineData("192.168.1.10", true, false)]
    [InlineData("100.64.0.1", true, false)]
    [InlineData("100.127.255.254", true, false)]
    [InlineData("::1", true, false)]
    [InlineData("fc00::1", true, false)]
    [InlineData("fdff:ffff::1", true, false)]
    [InlineData("fec0::1", true, false)]
    [InlineData("::ffff:10.0.0.1", true, false)]     // IPv4-mapped
    [InlineData("::ffff:127.0.0.1", true, false)]
    [InlineData("::ffff:192.168.0.1", true, false)]
    [InlineData("64:ff9b::7f00:1", true, false)]     // NAT64 of 127.0.0.1
    [InlineData("::7f00:1", true, false)]            // IPv4-compatible 127.0.0.1
    [InlineData("2002:c0a8:101::1", true, false)]    // 6to4 of 192.168.1.1
    // never
    [InlineData("169.254.169.254", true, true)]
    [InlineData("169.254.0.1", true, true)]
    [InlineData("::ffff:169.254.169.254", true, true)]
    [InlineData("fe80::1", true, true)]
    [InlineData("febf::1", true, true)]
    [InlineData("0.0.0.0", true, true)]
    [InlineData("0.1.2.3", true, true)]
    [InlineData("::", true, true)]
    [InlineData("224.0.0.1", true, true)]
    [InlineData("239.255.255.250", true, true)]
    [InlineData("ff02::1", true, true)]
    [InlineData("240.0.0.1", true, true)]
    [InlineData("255.255.255.255", true, true)]
    public void Each_address_is_judged_by_what_it_reaches(string address, bool refusedByDefault, bool refusedEvenWhenPrivateIsAllowed)
    {
        var ip = IPAddress.Parse(address);

        Assert.Equal(refusedByDefault, OutboundAddressPolicy.Refusal(ip, allowPrivateAddresses: false) is not null);
        Assert.Equal(refusedEvenWhenPrivateIsAllowed, OutboundAddressPolicy.Refusal(ip, allowPrivateAddresses: true) is not null);
    }
}
