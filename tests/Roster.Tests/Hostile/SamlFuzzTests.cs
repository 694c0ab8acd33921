using System.Net;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.Hostile;

/// <summary>
/// Seeded fuzzing of the ACS over real HTTP: each case starts a real sign-in (so the Response answers
/// a request Roster made, and RelayState and its cookie are right), then posts the IdP's signed
/// Response broken by <see cref="SamlMutator"/>. Every case is a refused sign-in: no session cookie,
/// never a 5xx or a hang, and the enterprise's data unchanged. At the end an intact Response still
/// signs in, so the refusals were the mutations' doing.
/// </summary>
public sealed class SamlFuzzTests
{
    static int BaseCases(string kind) => kind == TestDatabase.Sqlite ? 200 : 60;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Broken_saml_responses_are_refused_without_a_session(string kind)
    {
        var settings = FuzzSettings.FromEnvironment();
        var cases = settings.Cases(BaseCases(kind));
        settings.Announce($"{nameof(SamlFuzzTests)} ({kind})", cases);

        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        var before = await EnterpriseSnapshot.TakeAsync(host, acme.Scim!, acme.Enterprise);
        var mutator = new SamlMutator(new Random(settings.Seed));
        var failures = new List<string>();
        var tally = new Dictionary<string, int>();

        for (var i = 1; i <= cases && failures.Count < 20; i++)
        {
            using var browser = new SamlBrowser(host.BaseAddress);
            var started = await browser.StartAsync(acme.Slug);
            var (content, defect) = mutator.Mutate(acme.Respond(started.RequestId, "ann@acme.example"), started.RelayState);
            HttpResponseMessage answer;
            try
            {
                answer = await browser.PostAsync($"/saml/{acme.Slug}/acs", content).WaitAsync(HostileSender.HangGuard, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                failures.Add($"seed {settings.Seed} case {i} [{defect}]: no answer within {HostileSender.HangGuard.TotalSeconds} s");
                continue;
            }
            using (answer)
            {
                var status = (int)answer.StatusCode;
                var session = browser.Cookie("roster_session") is not null;
                if (status >= 500 || session)
                {
                    failures.Add($"seed {settings.Seed} case {i} [{defect}]: answered {status}{(session ? " with a session" : "")}: " +
                                 HostileSender.Shorten(await answer.Content.ReadAsStringAsync()));
                }
                var outcome = $"{defect} -> {status}";
                tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
            }
        }

        foreach (var (outcome, count) in tally.OrderBy(t => t.Key)) TestContext.Current.TestOutputHelper?.WriteLine($"  {outcome}: {count}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await EnterpriseSnapshot.TakeAsync(host, acme.Scim!, acme.Enterprise));

        using var intact = new SamlBrowser(host.BaseAddress);
        var again = await intact.StartAsync(acme.Slug);
        using var signedIn = await intact.PostResponseAsync(acme.Slug, acme.Respond(again.RequestId, "ann@acme.example").FormValue, again.RelayState);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.NotNull(intact.Cookie("roster_session"));
    }
}
