using System.Diagnostics.CodeAnalysis;

namespace Roster.Saml.Responses;

/// <summary>The outcome of <see cref="SamlResponseValidator.Validate"/>: an assertion, or a rejection.</summary>
public sealed class SamlValidationResult
{
    private SamlValidationResult(SamlAssertion? assertion, SamlRejection? rejection)
    {
        Assertion = assertion;
        Rejection = rejection;
        Succeeded = assertion is not null;
    }

    [MemberNotNullWhen(true, nameof(Assertion))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool Succeeded { get; }

    public SamlAssertion? Assertion { get; }

    public SamlRejection? Rejection { get; }

    public static SamlValidationResult Success(SamlAssertion assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return new SamlValidationResult(assertion, null);
    }

    public static SamlValidationResult Rejected(SamlRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new SamlValidationResult(null, rejection);
    }

    public static SamlValidationResult Rejected(SamlRejectionReason reason, string detail) =>
        Rejected(new SamlRejection(reason, detail));

    public override string ToString() =>
        Succeeded ? $"Accepted {Assertion.NameId} ({Assertion.AssertionId})" : $"Rejected {Rejection.Reason}: {Rejection.Detail}";
}
