namespace Roster.Tests.Concurrency;

/// <summary>Many IdP clients of one enterprise, each with its own HTTP connection pool, that send
/// their requests of a round together: every client has opened its connection before the round, and
/// all wait on one gate, so that the requests meet in Roster rather than queue in the test.</summary>
public sealed class ConcurrentClients
{
    /// <summary>How many clients the concurrency tests run: issue 10's number.</summary>
    public const int Count = 50;

    /// <summary>A round that has not finished in this long is a hang (a deadlock), not slowness.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    ConcurrentClients(IReadOnlyList<ScimClient> clients) => Clients = clients;

    public IReadOnlyList<ScimClient> Clients { get; }

    public static Task<ConcurrentClients> ConnectAsync(RosterTestHost host, ScimClient idp, int count = Count) =>
        ConnectAsync(() => new ScimClient(host.Client(idp.Enterprise, $"Bearer {idp.Token}"), idp.Enterprise, idp.Token), count);

    /// <summary>Clients made by <paramref name="open"/>: of another address than a test host's, as a proxy's.</summary>
    public static async Task<ConcurrentClients> ConnectAsync(Func<ScimClient> open, int count = Count)
    {
        var clients = Enumerable.Range(0, count).Select(_ => open()).ToList();
        // One request each first, so that no connection is opened inside a round.
        foreach (var warm in await Task.WhenAll(clients.Select(c => c.GetAsync("ServiceProviderConfig")))) warm.AssertOk();
        return new ConcurrentClients(clients);
    }

    /// <summary>Runs <paramref name="request"/> once per client, released together; the answers in client order.</summary>
    public async Task<ScimResponse[]> RoundAsync(Func<int, ScimClient, Task<ScimResponse>> request)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = Clients.Select(async (client, i) =>
        {
            await gate.Task;
            return await request(i, client);
        }).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(sent).WaitAsync(HangGuard);
        AssertNoServerError(answers);
        return answers;
    }

    /// <summary>Serialization failures and deadlocks are Roster's to retry: the client never sees a 5xx.</summary>
    public static void AssertNoServerError(IEnumerable<ScimResponse> answers)
    {
        foreach (var answer in answers)
            Assert.True(answer.Status < 500, $"A client got {answer.Status}: {answer.Body}");
    }
}
