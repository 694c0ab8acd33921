namespace Roster.Directory.SignOn;

/// <summary>
/// One SAML sign-in that reached Roster, as the enterprise's admins read it: who (the NameID and the
/// member it led to), how it ended, and for a refusal a code and a sentence saying why. The host fills
/// it in; <see cref="SignInLog.RecordAsync"/> adds <see cref="Id"/> and <see cref="OccurredAt"/>.
/// </summary>
public sealed record SignInAttempt
{
    public long Id { get; init; }
    public required string EnterpriseId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>One of <see cref="SignInOutcome"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why it was refused, as a code scripts can match ("unknown-member"); required for a
    /// refusal. See <see cref="SignInRefusal"/> for the directory's own.</summary>
    public string? Reason { get; init; }

    /// <summary>The same for a person: a sentence that says what to fix. Never the SAML XML.</summary>
    public string? Detail { get; init; }

    public string? NameId { get; init; }
    public string? MemberId { get; init; }
    public string? AssertionId { get; init; }
    public bool IdpInitiated { get; init; }
    public string? ClientAddress { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>The AuthnRequest the response answered (its InResponseTo); null when IdP-initiated.</summary>
    public string? RequestId { get; init; }
}

public static class SignInOutcome
{
    public const string SignedIn = "signed-in";
    /// <summary>A test sign-in succeeded: the configuration works (and is now verified).</summary>
    public const string Tested = "tested";
    public const string Refused = "refused";

    public static bool IsValid(string value) => value is SignedIn or Tested or Refused;
}

/// <summary>The reasons for refusing a sign-in that come from the directory (who the NameID names);
/// the SAML checks have codes of their own.</summary>
public static class SignInRefusal
{
    /// <summary>No member has the NameID as userName (or email).</summary>
    public const string UnknownMember = "unknown-member";
    /// <summary>Several members share the email the NameID carries.</summary>
    public const string AmbiguousEmail = "ambiguous-email";
    /// <summary>The member is deactivated.</summary>
    public const string InactiveMember = "inactive-member";
}
