using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Storage;

namespace Roster.Tests.Resilience;

/// <summary>
/// PostgreSQL stopped and started again under load, with <c>roster serve</c> left running: while the
/// database is down every SCIM request is answered, at once, 503 with <c>Retry-After</c> and a SCIM
/// Error (never a hang, never a 500), the admin API answers 503 with <c>Retry-After</c> too, /readyz says not ready, and once the database is back Roster
/// serves again by itself, with every change it acknowledged in the store.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    const int Clients = 4;
    const int AnswersWhileDown = 20;
    const int SuccessesAfterwards = 20;

    sealed record Answer(int Status, string? RetryAfter, string? ContentType, string Body, bool DatabaseDown);

    [Fact]
    public async Task Requests_fail_fast_with_503_and_Retry_After_while_PostgreSQL_is_down_and_succeed_again_when_it_is_back()
    {
        await using var postgres = await OwnPostgresServer.StartAsync();
        var directory = await RosterDirectory.OpenAsync(DatabaseOptions.Postgres(postgres.ConnectionString));
        var storm = await StormHarness.CreateAsync(directory);
        await using var roster = await RosterProcess.StartAsync(["--database", postgres.ConnectionString], StormHarness.Unlimited);
        using var scim = storm.Scim(roster.BaseAddress);
        scim.Timeout = TimeSpan.FromSeconds(10); // the hang guard: a request the outage holds longer fails the test
        using var plain = new HttpClient { BaseAddress = roster.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var apiKey = (await directory.ApiKeys.CreateAsync(storm.Enterprise, "script", null, actor: null)).Key;
        using var api = new HttpClient { BaseAddress = roster.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {apiKey}");
        var events = $"/api/v1/enterprises/{storm.Enterprise.Slug}/events";

        var answers = new ConcurrentQueue<Answer>();
        var created = new ConcurrentBag<string>();
        var problems = new ConcurrentQueue<string>();
        var down = 0;
        var sequence = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var userName = $"restart{Interlocked.Increment(ref sequence)}@storm.example";
                var wasDown = Volatile.Read(ref down) == 1;
                try
                {
                    using var response = await scim.PostAsync("Users", new StringContent(
                        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":true}""",
                        Encoding.UTF8, "application/scim+json"));
                    var answer = new Answer((int)response.StatusCode, response.Headers.RetryAfter?.ToString(), response.Content.Headers.ContentType?.MediaType,
                        await response.Content.ReadAsStringAsync(), wasDown && Volatile.Read(ref down) == 1);
                    answers.Enqueue(answer);
                    if (answer.Status == 201) created.Add(userName);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    problems.Enqueue($"POST {userName}: no answer ({e.GetType().Name}: {e.Message})");
                }
            }
        })).ToList();
        try
        {
            await StormHarness.WaitForAsync(() => created.Count >= 10 || !problems.IsEmpty, TimeSpan.FromSeconds(60), () => "10 creates before the outage");

            await postgres.StopServerAsync();
            Volatile.Write(ref down, 1);
            using (var readiness = await plain.GetAsync("/readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
                Assert.NotNull(readiness.Headers.RetryAfter);
            }
            // The admin API too: a script retries after Retry-After; nothing tells it its request was wrong.
            using (var refused = await api.GetAsync(events))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }
            await StormHarness.WaitForAsync(() => answers.Count(a => a.DatabaseDown) >= AnswersWhileDown || !problems.IsEmpty,
                TimeSpan.FromSeconds(60), () => $"{AnswersWhileDown} answers while PostgreSQL is down");

            Volatile.Write(ref down, 0);
            await postgres.StartServerAsync();
            var createdBefore = created.Count;
            await StormHarness.WaitForAsync(() => created.Count >= createdBefore + SuccessesAfterwards || !problems.IsEmpty,
                TimeSpan.FromSeconds(60), () => $"{SuccessesAfterwards} creates once PostgreSQL is back (Roster did not recover by itself)");
            using (var readiness = await plain.GetAsync("/readyz")) Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
            using (var served = await api.GetAsync(events)) Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        var whileDown = answers.Where(a => a.DatabaseDown).ToList();
        output.WriteLine($"{answers.Count} answers: {string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}; " +
                         $"{whileDown.Count} while PostgreSQL was down; {created.Count} creates acknowledged");
        Assert.True(problems.IsEmpty, string.Join('\n', problems));
        // Whatever the moment, an answer is a success or a 503 the IdP retries after: never a 500.
        foreach (var answer in answers.Where(a => a.Status != 201))
        {
            Assert.True(answer.Status == 503, $"{answer.Status}: {answer.Body}");
            Assert.True(answer.RetryAfter is not null, $"503 without Retry-After: {answer.Body}");
            Assert.Equal("application/scim+json", answer.ContentType);
            var error = JsonNode.Parse(answer.Body)!;
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", error["schemas"]![0]!.GetValue<string>());
            Assert.Equal("503", error["status"]!.GetValue<string>());
        }
        Assert.All(whileDown, a => Assert.Equal(503, a.Status));

        // Every acknowledged create is in the store. (The test's own pooled connections died with the server.)
        Npgsql.NpgsqlConnection.ClearAllPools();
        var stored = await directory.Database.ReadAsync(c => c.Command("SELECT user_name FROM members WHERE enterprise_id = @e AND deleted_at IS NULL")
            .With("@e", storm.Enterprise.Id).ListAsync(r => r.GetString(0)));
        Assert.Empty(created.Except(stored));
    }
}
