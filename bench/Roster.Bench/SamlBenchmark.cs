using System.Diagnostics;
using System.Globalization;
using Roster.Directory;
using Roster.Directory.SignOn;
using Roster.Directory.Storage;
using Roster.Hosting;
using Roster.Saml;
using Roster.Saml.Responses;
using Roster.Testing;
using Roster.Testing.Saml;

/// <summary>
/// What a SAML sign-in costs: the Response validation alone (in process: parse, both signatures,
/// every rule), plain and with an encrypted assertion; then whole sign-ins over HTTP against a real
/// server, each one the AuthnRequest redirect and the ACS POST (validation, the shared replay cache,
/// the member lookup, the session), with C concurrent browsers. The IdP's signing is done before the
/// clock starts: an IdP's work is not Roster's.
/// </summary>
static class SamlBenchmark
{
    public static async Task<int> RunAsync(int signIns, int concurrency, string db)
    {
        Console.WriteLine($"Roster SAML benchmark: {signIns} sign-ins, {concurrency} concurrent browsers; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine();
        Validation(signIns, encrypted: false);
        Validation(Math.Min(signIns, 1000), encrypted: true);
        Console.WriteLine();
        Console.WriteLine("| database | step | requests | req/s | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var kind in db == "both" ? new[] { TestDatabase.Sqlite, TestDatabase.Postgres } : [db])
            await SignInsAsync(kind, signIns, concurrency);
        return 0;
    }

    static void Validation(int count, bool encrypted)
    {
        var idp = TestIdentityProvider.Okta();
        using var spCertificate = ServiceProviderCertificates.Create("Roster SAML SP bench", TimeProvider.System);
        var sp = new ServiceProviderSettings
        {
            EntityId = "https://roster.example/saml/acme", AssertionConsumerServiceUrl = "https://roster.example/saml/acme/acs", Certificate = spCertificate,
        };
        var validator = new SamlResponseValidator(sp,
            new IdentityProviderSettings { EntityId = idp.EntityId, SingleSignOnUrl = new Uri("https://idp.example/sso"), SigningCertificates = [idp.PublicCertificate] },
            new SamlValidationPolicy(), TimeProvider.System);
        var responses = Enumerable.Range(0, count).Select(i => idp.CreateResponse(new SamlResponseOptions
        {
            AcsUrl = sp.AssertionConsumerServiceUrl, Audience = sp.EntityId, InResponseTo = $"_req{i}", NameId = $"user{i}@acme.example",
            EncryptFor = encrypted ? spCertificate : null,
        }).FormValue).ToArray();
        for (var i = 0; i < Math.Min(50, count); i++) Require(validator.Validate(responses[i], $"_req{i}"));

        var latencies = new double[count];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Require(validator.Validate(responses[i], $"_req{i}"));
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        var elapsed = watch.Elapsed.TotalSeconds;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / count;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Validate an Okta Response (Response and Assertion signed{(encrypted ? ", assertion encrypted (RSA-OAEP, AES-256-GCM)" : "")}): {count} in one thread, {count / elapsed:0}/s, p50 {latencies[count / 2]:0} µs, p99 {latencies[Math.Min(count - 1, count * 99 / 100)]:0} µs, {bytes / 1024:0} KiB allocated each"));
    }

    static void Require(SamlValidationResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"The bench Response was refused: {result.Rejection.Reason}: {result.Rejection.Detail}");
    }

    static async Task SignInsAsync(string kind, int count, int concurrency)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var options = kind == TestDatabase.Sqlite ? DatabaseOptions.Sqlite(database.DataDirectory!) : DatabaseOptions.Postgres(database.ConnectionString!);
        var directory = await RosterDirectory.OpenAsync(options);
        await using var server = await RosterServer.StartAsync(directory, "http://127.0.0.1:0", quiet: true);
        var baseAddress = new Uri(server.Addresses[0]);
        var enterprise = await directory.Enterprises.CreateAsync("Bench");
        var idp = TestIdentityProvider.Okta();
        var configured = await Roster.Saml.SamlSetup.ConfigureAsync(directory, enterprise, new SamlSetupRequest
        {
            IdpEntityId = idp.EntityId, IdpSsoUrl = "https://idp.example/sso", IdpCertificatesPem = [idp.CertificatePem],
            Options = SamlOptions.Default with { JitProvisioning = true }, PublicBaseUrl = baseAddress.ToString(),
        });
        var sp = configured.After.ServiceProvider;
        // Members exist (created at their first sign-in, before the clock): what is measured is signing in.
        var warmUp = await StartAsync(baseAddress, enterprise.Slug, count);
        var posts = warmUp.Select((s, i) => (s.Cookie, s.RelayState, Response: Respond(idp, sp, s.RequestId, i))).ToArray();
        await PostAllAsync(baseAddress, enterprise.Slug, posts, concurrency, null);

        var started = await StartAsync(baseAddress, enterprise.Slug, count, kind, concurrency);
        posts = started.Select((s, i) => (s.Cookie, s.RelayState, Response: Respond(idp, sp, s.RequestId, i))).ToArray();
        await PostAllAsync(baseAddress, enterprise.Slug, posts, concurrency, kind);
        Console.WriteLine($"| {kind} | process after the run | | | working set {Environment.WorkingSet / 1048576} MiB | GC heap {GC.GetTotalMemory(false) / 1048576} MiB | |");
    }

    static string Respond(TestIdentityProvider idp, SamlServiceProvider sp, string requestId, int i) => idp.CreateResponse(new SamlResponseOptions
    {
        AcsUrl = sp.AcsUrl, Audience = sp.EntityId, InResponseTo = requestId, NameId = $"user{i}@bench.example",
    }).FormValue;

    sealed record Started(string RequestId, string RelayState, string Cookie);

    static async Task<Started[]> StartAsync(Uri baseAddress, string slug, int count, string? kind = null, int concurrency = 8)
    {
        using var http = Client(baseAddress, concurrency);
        var started = new Started[count];
        await ConcurrentLoad.MeasureAsync(kind, "GET /saml/{enterprise}/login (AuthnRequest)", count, concurrency, async i =>
        {
            using var response = await http.GetAsync($"/saml/{slug}/login");
            if ((int)response.StatusCode != 302) throw new InvalidOperationException($"login answered {(int)response.StatusCode}");
            var message = RedirectMessage.Decode(response.Headers.Location!.Query.TrimStart('?'));
            var id = System.Xml.Linq.XDocument.Parse(message.Xml).Root!.Attribute("ID")!.Value;
            var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("roster_saml_", StringComparison.Ordinal)).Split(';')[0];
            started[i] = new Started(id, message.RelayState!, cookie);
        });
        return started;
    }

    static async Task PostAllAsync(Uri baseAddress, string slug, (string Cookie, string RelayState, string Response)[] posts, int concurrency, string? kind)
    {
        using var http = Client(baseAddress, concurrency);
        await ConcurrentLoad.MeasureAsync(kind, "POST /saml/{enterprise}/acs (sign-in)", posts.Length, concurrency, async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/saml/{slug}/acs")
            {
                Content = new FormUrlEncodedContent([new("SAMLResponse", posts[i].Response), new("RelayState", posts[i].RelayState)]),
            };
            request.Headers.Add("Cookie", posts[i].Cookie);
            using var response = await http.SendAsync(request);
            if ((int)response.StatusCode != 303) throw new InvalidOperationException($"acs answered {(int)response.StatusCode}");
        });
    }

    static HttpClient Client(Uri baseAddress, int concurrency) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = concurrency }) { BaseAddress = baseAddress };
}
