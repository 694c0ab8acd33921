using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>Whatever arrives, Validate answers with a result whose reason names a check: it never
/// throws, and never falls through to <see cref="SamlRejectionReason.Unprocessable"/>.</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> Shapes => ["signed twice", "assertion signed", "encrypted gcm", "encrypted cbc"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Randomly_damaged_responses_are_answered_by_a_named_check(string shape)
    {
        var options = shape switch
        {
            "signed twice" => Answer,
            "assertion signed" => Answer with { Sign = TestSignedParts.Assertion },
            "encrypted gcm" => Answer with { Sign = TestSignedParts.Assertion, EncryptFor = SpCertificate },
            _ => Answer with { Sign = TestSignedParts.Assertion, EncryptFor = SpCertificate, DataEncryption = TestDataEncryption.Aes256Cbc },
        };
        string xml = Okta.CreateResponse(options).Xml;
        var random = new Random(20260314);
        const string damage = "<>/=\"'a&;:#x0 -_!?";

        for (int attempt = 0; attempt < 150; attempt++)
        {
            char[] damaged = xml.ToCharArray();
            for (int edits = random.Next(1, 4); edits > 0; edits--)
                damaged[random.Next(damaged.Length)] = damage[random.Next(damage.Length)];

            var result = SpUnderTest.Default.Validate(TestSamlResponse.Encode(new string(damaged)));

            Assert.True(result.Succeeded || result.Rejection.Reason != SamlRejectionReason.Unprocessable, result.ToString());
        }
    }
}
