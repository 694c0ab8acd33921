using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>How <see cref="IdpMetadataFetcher"/> may reach an IdP's metadata URL.</summary>
public sealed record IdpMetadataFetchOptions
{
    /// <summary>Also fetch from loopback, RFC 1918, carrier-grade NAT and IPv6 unique-local addresses:
    /// for an on-premises IdP (ADFS) on the operator's own network. Off by default, because the URL is
    /// typed by an enterprise administrator, and a server fetching whatever URL it is given is a way
    /// into the network it runs in. Link-local addresses (cloud metadata services), multicast and
    /// unspecified addresses stay refused either way.</summary>
    public bool AllowPrivateAddresses { get; init; }

    /// <summary>Root certificates trusted for this fetch in addition to the system's, for an IdP whose
    /// TLS certificate comes from an internal CA.</summary>
    public X509Certificate2Collection? ExtraTrustedRoots { get; init; }

    /// <summary>For the whole fetch: connecting, every redirect, and reading the body.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest body read; one IdP's metadata is a few tens of kilobytes.</summary>
    public int MaxBytes { get; init; } = 1024 * 1024;
}
