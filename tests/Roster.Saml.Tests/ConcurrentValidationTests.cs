using System.Collections.Concurrent;
using System.Security.Cryptography.Xml;
using System.Xml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>Many people sign in at once: validators are built and used on many threads, and none may
/// disturb another, or any other user of the runtime's SignedXml in the process.</summary>
public sealed class ConcurrentValidationTests
{
    [Fact]
    public void Validating_leaves_the_runtimes_shared_signature_settings_alone()
    {
        var before = new SignedXml(new XmlDocument()).SafeCanonicalizationMethods.ToList();

        SpUnderTest.Default.Accepts(Okta.CreateResponse(Answer));

        Assert.Equal(before, new SignedXml(new XmlDocument()).SafeCanonicalizationMethods.ToList());
        Assert.Contains(SignedXml.XmlDsigC14NTransformUrl, before);
    }

    [Fact]
    public void Sign_ins_validated_at_the_same_time_are_all_accepted()
    {
        var responses = Enumerable.Range(0, 50).Select(_ => Okta.CreateResponse(Answer).FormValue).ToArray();
        var refusals = new ConcurrentBag<string>();

        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var result = SpUnderTest.Default.Validate(responses[i % responses.Length]);
            if (!result.Succeeded) refusals.Add(result.ToString());
        });

        Assert.True(refusals.IsEmpty, $"{refusals.Count} of 2000 refused, e.g. {refusals.FirstOrDefault()}");
    }
}
