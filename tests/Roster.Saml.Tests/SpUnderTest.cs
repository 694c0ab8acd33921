using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing;
using Roster.Testing.Saml;

namespace Roster.Saml.Tests;

/// <summary>
/// Roster's side of a test: a validator for the acme enterprise trusting one test IdP, with the clock
/// pinned. Its assertions check the exact rejection reason, and the attack helpers first check that
/// the untouched Response is accepted, so an attack test fails if the baseline is broken rather than
/// passing for the wrong reason.
/// </summary>
internal sealed record SpUnderTest
{
    public TestIdentityProvider Idp { get; init; } = SamlTestBed.Okta;
    public ServiceProviderSettings Sp { get; init; } = SamlTestBed.Sp;
    public SamlValidationPolicy Policy { get; init; } = new();
    public string? ExpectedInResponseTo { get; init; } = SamlTestBed.RequestId;
    public DateTimeOffset Now { get; init; } = SamlTestBed.Now;

    public static SpUnderTest Default { get; } = new();

    public SamlValidationResult Validate(string formValue) =>
        new SamlResponseValidator(Sp, SamlTestBed.SettingsOf(Idp), Policy, new ManualClock(Now))
            .Validate(formValue, ExpectedInResponseTo);

    public SamlAssertion Accepts(TestSamlResponse response) => Accepts(response.FormValue);

    public SamlAssertion Accepts(string formValue)
    {
        var result = Validate(formValue);
        Assert.True(result.Succeeded, $"Expected acceptance; got {result}");
        return result.Assertion;
    }

    public SamlRejection Refuses(TestSamlResponse response, SamlRejectionReason reason) => Refuses(response.FormValue, reason);

    public SamlRejection Refuses(string formValue, SamlRejectionReason reason)
    {
        var result = Validate(formValue);
        Assert.False(result.Succeeded, $"Expected {reason}; the Response was accepted.");
        Assert.True(result.Rejection.Reason == reason, $"Expected {reason}; got {result.Rejection.Reason}: {result.Rejection.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
        return result.Rejection;
    }

    /// <summary>The Response made from <paramref name="options"/> is accepted; the same Response edited
    /// after signing by <paramref name="attack"/> is refused for <paramref name="reason"/>.</summary>
    public SamlRejection RefusesTampered(SamlResponseOptions options, Action<XmlDocument> attack, SamlRejectionReason reason)
    {
        Accepts(Idp.CreateResponse(options));
        return Refuses(Idp.CreateResponse(options with { AfterSigning = attack }), reason);
    }

    /// <summary>The Response made from <paramref name="baseline"/> is accepted; the one made from
    /// <paramref name="variant"/> is refused for <paramref name="reason"/>.</summary>
    public SamlRejection RefusesVariant(SamlResponseOptions baseline, SamlResponseOptions variant, SamlRejectionReason reason)
    {
        Accepts(Idp.CreateResponse(baseline));
        return Refuses(Idp.CreateResponse(variant), reason);
    }

    /// <summary>The Response's XML text is accepted; the same text rewritten by <paramref name="attack"/>
    /// is refused for <paramref name="reason"/>.</summary>
    public SamlRejection RefusesRewritten(SamlResponseOptions options, Func<string, string> attack, SamlRejectionReason reason)
    {
        var response = Idp.CreateResponse(options);
        Accepts(response);
        return Refuses(TestSamlResponse.Encode(attack(response.Xml)), reason);
    }
}
