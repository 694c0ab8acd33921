namespace Roster.Saml.Responses;

/// <summary>
/// What an accepted Response says, read only from the element whose signature verified. Replay
/// protection is the host's: it must add <see cref="AssertionId"/> (per enterprise) to a shared store
/// atomically and keep it until <see cref="NotOnOrAfter"/> plus the clock skew.
/// </summary>
public sealed record SamlAssertion
{
    /// <summary>The Response's ID. Only authenticated when <see cref="SignedElements"/> includes the
    /// Response; the replay key is <see cref="AssertionId"/>.</summary>
    public required string ResponseId { get; init; }

    public required string AssertionId { get; init; }

    /// <summary>The Assertion's Issuer: the configured IdP entity ID.</summary>
    public required string Issuer { get; init; }

    public required string NameId { get; init; }

    public string? NameIdFormat { get; init; }

    /// <summary>The AuthnRequest ID this Response answered, or null for an unsolicited Response.</summary>
    public string? InResponseTo { get; init; }

    /// <summary>The Assertion's IssueInstant.</summary>
    public required DateTimeOffset IssueInstant { get; init; }

    /// <summary>The latest instant the assertion may be used: the earlier of the Conditions'
    /// NotOnOrAfter and the bearer confirmation's NotOnOrAfter.</summary>
    public required DateTimeOffset NotOnOrAfter { get; init; }

    /// <summary>When the IdP wants the session it granted to end, if it said.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }

    public string? SessionIndex { get; init; }

    /// <summary>Attribute values by Attribute Name (ordinal), in document order; an attribute named
    /// twice has the values of both.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; }

    public required SamlSignedElements SignedElements { get; init; }

    /// <summary>Whether the assertion arrived as an EncryptedAssertion.</summary>
    public required bool Encrypted { get; init; }

    /// <summary>The SignatureMethod URI of the signature the assertion was read under: the Assertion's
    /// own when it is signed, else the Response's.</summary>
    public required string SignatureAlgorithm { get; init; }
}
