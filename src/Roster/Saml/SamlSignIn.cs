using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Roster.Directory.Enterprises;
using Roster.Directory.Identity;
using Roster.Directory.Members;
using Roster.Directory.SignOn;
using Roster.Directory;
using Roster.Hosting;
using Roster.Saml.Responses;

namespace Roster.Saml;

/// <summary>
/// Sign-in through an enterprise's IdP, both halves: the start (an AuthnRequest over HTTP-Redirect,
/// <c>/saml/{enterprise}/login</c>) and the Assertion Consumer Service (the Response over HTTP-POST,
/// <c>/saml/{enterprise}/acs</c>). Roster.Saml checks the message; this class binds it to the browser
/// that started the sign-in, refuses replays across every instance (the database keeps the cache),
/// finds the member, and opens the session. Every outcome is written to the sign-in log with its
/// precise reason; the person sees a plain page with a reference.
/// </summary>
internal sealed class SamlSignIn(RosterDirectory directory, EnterpriseSamlCache settings, ILogger<SamlSignIn> logger)
{
    /// <summary>How long a started sign-in waits for the IdP's answer.</summary>
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long a session lasts when the IdP does not say (SessionNotOnOrAfter caps it).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    /// <summary>The largest form Roster reads at the ACS: a base64 Response of 1 MB of XML and a RelayState.</summary>
    const int MaxFormBytes = 1_400_000;

    const string CorrelationCookiePrefix = "roster_saml_";

    public async Task StartAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (await FindConfiguredAsync(http) is not ({ } enterprise, { } configuration))
        {
            await NotConfiguredAsync(http.Response);
            return;
        }
        var test = http.Request.Query["test"] == "1";
        var returnPath = http.Request.Query["returnUrl"].ToString() is { Length: > 0 } requested ? requested : null;
        if (returnPath is not null && (returnPath.Length > SamlPendingRequests.MaxReturnPathLength || !RelayStatePaths.IsLocalPath(returnPath)))
        {
            await SignInPages.WriteAsync(http.Response, 400, "Sign-in cannot start",
                ["The page to return to after signing in must be a page of this site."]);
            return;
        }

        var saml = settings.Get(configuration);
        var relayKey = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var redirect = AuthnRequestRedirect.Create(saml.ServiceProvider, saml.IdentityProvider, relayKey, directory.Clock);
        await directory.SamlPendingRequests.CreateAsync(enterprise, redirect.RequestId, relayKey,
            test ? SamlRequestPurpose.Test : SamlRequestPurpose.SignIn, returnPath, RequestLifetime, cancellationToken);

        // The request id goes back to this browser only: the Response must come to the browser that
        // asked for it (login CSRF). The IdP's POST is cross-site, hence SameSite=None (and so Secure).
        http.Response.Cookies.Append(CorrelationCookiePrefix + relayKey, redirect.RequestId, new CookieOptions
        {
            Path = $"{SamlUrls.PathPrefix}/{enterprise.Slug}/acs",
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.None,
            MaxAge = RequestLifetime,
            IsEssential = true,
        });
        SecurityHeaders.Apply(http.Response);
        http.Response.Redirect(redirect.Location.AbsoluteUri);
    }

    public async Task ConsumeAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (await FindConfiguredAsync(http) is not ({ } enterprise, { } configuration))
        {
            await NotConfiguredAsync(http.Response);
            return;
        }

        var attempt = new SignInAttempt
        {
            EnterpriseId = enterprise.Id,
            Outcome = SignInOutcome.Refused,
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? Truncate(agent, 512) : null,
        };

        var form = await ReadFormAsync(http);
        if (form is null || form["SAMLResponse"].ToString() is not { Length: > 0 } samlResponse)
        {
            await RefuseAsync(http, attempt, 400, "binding",
                "The request to the ACS was not an HTTP-POST form with a SAMLResponse field (or it was larger than Roster accepts).");
            return;
        }
        var relayState = form["RelayState"].ToString() is { Length: > 0 } relay ? relay : null;

        // The sign-in this browser started, if any: the RelayState names it, the cookie proves it was this browser.
        SamlPendingRequest? pending = null;
        string? expectedInResponseTo = null;
        if (relayState is not null && http.Request.Cookies.TryGetValue(CorrelationCookiePrefix + relayState, out var cookieRequestId))
        {
            pending = await directory.SamlPendingRequests.FindByRelayKeyAsync(enterprise, relayState, cancellationToken);
            if (pending is not null && CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(pending.RequestId), System.Text.Encoding.UTF8.GetBytes(cookieRequestId)))
            {
                expectedInResponseTo = pending.RequestId;
            }
            else
            {
                pending = null;
            }
        }

        var saml = settings.Get(configuration);
        var result = new SamlResponseValidator(saml.ServiceProvider, saml.IdentityProvider, saml.Policy, directory.Clock)
            .Validate(samlResponse, expectedInResponseTo);
        if (!result.Succeeded)
        {
            var rejection = result.Rejection!;
            if (rejection.Reason == SamlRejectionReason.UnsolicitedNotAllowed)
            {
                // The Okta dashboard tile, with IdP-initiated sign-in off: nothing is taken from the
                // unsolicited Response; the person is sent through an SP-initiated sign-in instead,
                // which the IdP's session makes seamless.
                await RecordAsync(attempt with
                {
                    Reason = ReasonCode(rejection.Reason),
                    Detail = rejection.Detail + " Roster started an SP-initiated sign-in instead.",
                    IdpInitiated = true,
                }, cancellationToken);
                var restart = $"{SamlUrls.PathPrefix}/{enterprise.Slug}/login";
                if (relayState is not null && RelayStatePaths.IsLocalPath(relayState)) restart += "?returnUrl=" + Uri.EscapeDataString(relayState);
                SecurityHeaders.Apply(http.Response);
                http.Response.Redirect(restart);
                return;
            }
            await RefuseAsync(http, attempt, 403, ReasonCode(rejection.Reason), rejection.Detail);
            return;
        }

        var assertion = result.Assertion!;
        attempt = attempt with
        {
            NameId = Truncate(assertion.NameId, 1024),
            AssertionId = assertion.AssertionId,
            IdpInitiated = assertion.InResponseTo is null,
            RequestId = assertion.InResponseTo,
        };

        if (assertion.InResponseTo is not null)
        {
            // One answer per request, even when two arrive at once at two instances.
            pending = await directory.SamlPendingRequests.ConsumeAsync(enterprise, assertion.InResponseTo, cancellationToken);
            if (pending is null)
            {
                await RefuseAsync(http, attempt, 403, "request-used",
                    $"The Response answers sign-in request {assertion.InResponseTo}, which was answered already or has expired.");
                return;
            }
            http.Response.Cookies.Delete(CorrelationCookiePrefix + relayState, new CookieOptions
            {
                Path = $"{SamlUrls.PathPrefix}/{enterprise.Slug}/acs", Secure = true, HttpOnly = true, SameSite = SameSiteMode.None,
            });
        }

        // The replay cache is shared by every instance: an assertion is used once, anywhere.
        var keepUntil = assertion.NotOnOrAfter + saml.Policy.ClockSkew;
        if (!await directory.SamlReplayCache.TryUseAsync(enterprise, "assertion:" + assertion.AssertionId, keepUntil, cancellationToken)
            || !await directory.SamlReplayCache.TryUseAsync(enterprise, "response:" + assertion.ResponseId, keepUntil, cancellationToken))
        {
            await RefuseAsync(http, attempt, 403, "replayed",
                $"Assertion {assertion.AssertionId} (Response {assertion.ResponseId}) was used before: a Response is accepted once.");
            return;
        }

        if (pending?.Purpose == SamlRequestPurpose.Test)
        {
            await CompleteTestAsync(http, enterprise, configuration, assertion, attempt);
            return;
        }
        await CompleteSignInAsync(http, enterprise, configuration, assertion, attempt, pending, relayState);
    }

    /// <summary>A test sign-in proves the configuration works; it opens no session, since the person
    /// need not be a member yet (SCIM provisions members once it is on).</summary>
    async Task CompleteTestAsync(HttpContext http, Enterprise enterprise, SamlConfiguration configuration, SamlAssertion assertion, SignInAttempt attempt)
    {
        var cancellationToken = http.RequestAborted;
        var recorded = await directory.SamlConfigurations.MarkVerifiedAsync(enterprise, configuration, assertion.NameId, cancellationToken);
        if (!recorded)
        {
            await RefuseAsync(http, attempt, 409, "configuration-changed",
                "The SAML configuration was changed while this test sign-in was under way; the test proved the old one. Test again.");
            return;
        }
        await RecordAsync(attempt with { Outcome = SignInOutcome.Tested }, cancellationToken);
        var status = await directory.ScimActivation.StatusAsync(enterprise, cancellationToken);
        var facts = new List<(string, string)>
        {
            ("Identity provider", assertion.Issuer),
            ("NameID", assertion.NameId),
            ("NameID format", assertion.NameIdFormat ?? "(none)"),
            ("Signed", assertion.SignedElements.ToString()),
        };
        facts.AddRange(assertion.Attributes.Select(a => ($"Attribute {a.Key}", string.Join(", ", a.Value))));
        await SignInPages.WriteAsync(http.Response, 200, "SAML sign-in works",
        [
            $"{enterprise.Name}'s identity provider signed you in, and Roster accepted the response.",
            status.ScimEnabled
                ? "SCIM provisioning is on."
                : $"SCIM provisioning can now be turned on: in the console, or with roster scim enable --enterprise {enterprise.Slug}",
        ], facts, ("Continue in the console", status.ScimEnabled ? AdminConsole.ConsoleUrls.Saml(enterprise.Slug) : AdminConsole.ConsoleUrls.Scim(enterprise.Slug)));
    }

    async Task CompleteSignInAsync(HttpContext http, Enterprise enterprise, SamlConfiguration configuration, SamlAssertion assertion,
        SignInAttempt attempt, SamlPendingRequest? pending, string? relayState)
    {
        var cancellationToken = http.RequestAborted;
        var options = configuration.Options;
        var scimEnabled = (await directory.ScimActivation.StatusAsync(enterprise, cancellationToken)).ScimEnabled;
        var lookup = await directory.Members.FindForSignInAsync(enterprise, assertion.NameId, options.MatchBy, cancellationToken);
        if (lookup.Ambiguous)
        {
            await RefuseAsync(http, attempt, 403, SignInRefusal.AmbiguousEmail,
                $"NameID '{assertion.NameId}' is the {options.MatchBy} of more than one member, so it names none; match sign-ins by userName, or give the members distinct {options.MatchBy} values.");
            return;
        }
        var member = lookup.Member;
        if (member is null)
        {
            if (scimEnabled || !options.JitProvisioning)
            {
                await RefuseAsync(http, attempt, 403, SignInRefusal.UnknownMember, scimEnabled
                    ? $"No member provisioned by SCIM has the {options.MatchBy} '{assertion.NameId}': assign the person to the app in the IdP, and SCIM provisions them."
                    : $"No member has the {options.MatchBy} '{assertion.NameId}', and just-in-time creation is off for this enterprise.");
                return;
            }
            var profile = SignInAttributes.From(assertion);
            // Matched by externalId, the NameID is the IdP's opaque id of the person: it is stored as
            // such, and the member is named by their email when the assertion carries one.
            var byExternalId = options.MatchBy == LinkKey.ExternalId;
            (member, _) = await directory.Members.CreateFromSignInAsync(enterprise, byExternalId ? profile.Email ?? assertion.NameId : assertion.NameId,
                profile.Email, profile.GivenName, profile.FamilyName, cancellationToken, externalId: byExternalId ? assertion.NameId : null);
        }
        if (!member.Active)
        {
            await RefuseAsync(http, attempt with { MemberId = member.Id }, 403, SignInRefusal.InactiveMember,
                $"Member '{member.UserName}' is deactivated; reactivating them in the IdP restores their access.");
            return;
        }
        if (scimEnabled && member.Source != MemberDirectory.SourceScim)
        {
            await RefuseAsync(http, attempt with { MemberId = member.Id }, 403, "not-provisioned",
                $"Member '{member.UserName}' was created by a {member.Source} sign-in, not provisioned by SCIM; with SCIM on, only members the IdP provisions may sign in.");
            return;
        }

        var now = directory.Clock.GetUtcNow();
        var lifetime = SessionLifetime;
        if (assertion.SessionNotOnOrAfter is { } cap && cap - now < lifetime) lifetime = cap - now;
        if (lifetime <= TimeSpan.Zero)
        {
            await RefuseAsync(http, attempt with { MemberId = member.Id }, 403, "session-expired",
                "The IdP's SessionNotOnOrAfter has passed already: the session it allows is over.");
            return;
        }
        MemberSessions.OpenedSession session;
        try
        {
            session = await directory.Sessions.OpenAsync(enterprise, member.Id, lifetime, cancellationToken);
        }
        catch (RosterException e)
        {
            // Deactivated between the lookup and now.
            await RefuseAsync(http, attempt with { MemberId = member.Id }, 403, SignInRefusal.InactiveMember, e.Message);
            return;
        }
        await RecordAsync(attempt with { Outcome = SignInOutcome.SignedIn, MemberId = member.Id }, cancellationToken);
        SessionCookie.Append(http.Response, session.Secret, session.ExpiresAt);

        // Where to go: the page the SP-initiated sign-in started from, or an IdP-initiated RelayState
        // that is a path of this site (never another site: no open redirect).
        var returnTo = pending?.ReturnPath
                       ?? (pending is null && relayState is not null && RelayStatePaths.IsLocalPath(relayState) ? relayState : "/");
        SecurityHeaders.Apply(http.Response);
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = returnTo;
    }

    async Task<IFormCollection?> ReadFormAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.HasFormContentType
            || http.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            return null;
        if (http.Request.ContentLength > MaxFormBytes) return null;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxFormBytes;
        try
        {
            return await http.Request.ReadFormAsync(new FormOptions { ValueLengthLimit = MaxFormBytes, ValueCountLimit = 16, KeyLengthLimit = 64 },
                http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    /// <summary>Records the refusal with its precise reason, then shows the person a plain page with
    /// the entry's number as the reference an admin looks it up by.</summary>
    async Task RefuseAsync(HttpContext http, SignInAttempt attempt, int status, string reason, string detail)
    {
        var recorded = await RecordAsync(attempt with { Outcome = SignInOutcome.Refused, Reason = reason, Detail = detail }, CancellationToken.None);
        var reference = recorded is null ? http.TraceIdentifier : recorded.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        logger.LogInformation("SAML sign-in refused ({Reason}), sign-in log entry {Reference}", reason, reference);
        await SignInPages.RefusedAsync(http.Response, status, reference);
    }

    async Task<SignInAttempt?> RecordAsync(SignInAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await directory.SignInLog.RecordAsync(attempt, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record a sign-in attempt of enterprise {Enterprise}", attempt.EnterpriseId);
            return null;
        }
    }

    /// <summary>The enterprise the URL names (<c>/saml/{slug}/…</c>) and its SAML configuration; null
    /// when there is no such enterprise or it has not configured SAML.</summary>
    public async Task<(Enterprise Enterprise, SamlConfiguration Configuration)?> FindConfiguredAsync(HttpContext http)
    {
        var slug = (string)http.Request.RouteValues["slug"]!;
        var enterprise = await directory.Enterprises.FindBySlugAsync(slug, http.RequestAborted);
        var configuration = enterprise is null ? null : await directory.SamlConfigurations.GetAsync(enterprise, http.RequestAborted);
        return enterprise is null || configuration is null ? null : (enterprise, configuration);
    }

    public static Task NotConfiguredAsync(HttpResponse response) => SignInPages.WriteAsync(response, 404, "Single sign-on is not set up",
        ["This organisation has not set up single sign-on with Roster. Ask your administrator."]);

    /// <summary>"SignatureInvalid" becomes "signature-invalid": the log's reason codes read alike.</summary>
    static string ReasonCode(SamlRejectionReason reason)
    {
        var name = reason.ToString();
        var code = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) code.Append('-');
            code.Append(char.ToLowerInvariant(name[i]));
        }
        return code.ToString();
    }

    static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
