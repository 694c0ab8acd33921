using System.Buffers.Binary;
using System.Net;

namespace Roster.Saml;

/// <summary>
/// Which addresses Roster's server may open a connection to on an administrator's behalf (fetching IdP
/// metadata). Each address is judged by what it reaches, so an IPv6 address that carries an IPv4 one
/// (IPv4-mapped, NAT64, 6to4, IPv4-compatible) is judged by the IPv4 address inside.
/// </summary>
internal static class OutboundAddressPolicy
{
    /// <summary>Null when Roster may connect to <paramref name="address"/>; otherwise what the address
    /// is, to finish a sentence such as "idp.example resolves to 10.0.0.5, …".</summary>
    public static string? Refusal(IPAddress address, bool allowPrivateAddresses)
    {
        var range = Classify(address);
        if (range is null) return null;
        if (range.Value.Private && allowPrivateAddresses) return null;
        return range.Value.Private
            ? $"{range.Value.Description}, and private addresses are not allowed"
            : $"{range.Value.Description}, which Roster never connects to";
    }

    /// <summary>Null for a public address. Private: a network an operator may run an IdP on, allowed
    /// by AllowPrivateAddresses. Not private: no IdP lives there, only things to attack.</summary>
    internal static (string Description, bool Private)? Classify(IPAddress address)
    {
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) return ClassifyV4(address);

        var bytes = address.GetAddressBytes();
        if (bytes.Length != 16) return ("an address of an unknown family", false);
        if (address.IsIPv4MappedToIPv6) return ClassifyV4(address.MapToIPv4());
        if (address.Equals(IPAddress.IPv6Any)) return ("the unspecified address", false);
        if (address.Equals(IPAddress.IPv6Loopback)) return ("a loopback address", true);
        // ::a.b.c.d (IPv4-compatible, deprecated) and 64:ff9b::a.b.c.d (NAT64, RFC 6052) reach a.b.c.d.
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 || StartsWith(bytes, [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return ClassifyV4(new IPAddress(bytes.AsSpan(12, 4)));
        }
        // 2002:a.b.c.d::/48 (6to4, RFC 3056) is relayed to a.b.c.d.
        if (bytes[0] == 0x20 && bytes[1] == 0x02) return ClassifyV4(new IPAddress(bytes.AsSpan(2, 4)));
        if ((bytes[0] & 0xFE) == 0xFC) return ("a unique-local IPv6 address (fc00::/7)", true);
        if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80) return ("a link-local IPv6 address (fe80::/10)", false);
        if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0) return ("a site-local IPv6 address (fec0::/10)", true);
        if (bytes[0] == 0xFF) return ("a multicast address", false);
        return null;
    }

    static (string Description, bool Private)? ClassifyV4(IPAddress address)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        bool In(uint network, int prefixLength) => (value ^ network) >> (32 - prefixLength) == 0;

        if (In(0x00000000, 8)) return ("an unspecified (\"this network\") address", false);
        if (In(0x7F000000, 8)) return ("a loopback address", true);
        if (In(0x0A000000, 8) || In(0xAC100000, 12) || In(0xC0A80000, 16)) return ("a private (RFC 1918) address", true);
        if (In(0x64400000, 10)) return ("a carrier-grade NAT (RFC 6598) address", true);
        if (In(0xA9FE0000, 16)) return ("a link-local address (169.254.0.0/16, where cloud metadata services answer)", false);
        if (In(0xE0000000, 4)) return ("a multicast address", false);
        if (In(0xF0000000, 4)) return ("a reserved or broadcast address", false);
        return null;
    }

    static bool StartsWith(byte[] bytes, ReadOnlySpan<byte> prefix) => bytes.AsSpan().StartsWith(prefix);
}
