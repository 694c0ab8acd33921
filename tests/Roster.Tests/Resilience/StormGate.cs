namespace Roster.Tests.Resilience;

/// <summary>
/// Lets the storm's clients send while Roster is up, and tells the controller when none is in the
/// middle of a request: a client enters before each request and leaves once it has dealt with the
/// answer (or its absence). Closing the gate before a kill marks every request that fails from then
/// on as cut off by the kill (its outcome unknown), not as Roster failing.
/// </summary>
public sealed class StormGate
{
    readonly object sync = new();
    bool open;
    int inFlight;
    TaskCompletionSource opened = NewSignal();
    TaskCompletionSource drained = NewSignal();

    /// <summary>The client to send with while open (a new one per epoch: no kept-alive connection to a dead process).</summary>
    public HttpClient? Client { get; private set; }

    /// <summary>Waits until the gate is open and counts the caller in; false when <paramref name="stop"/> fires first.</summary>
    public async Task<HttpClient?> EnterAsync(CancellationToken stop)
    {
        while (true)
        {
            Task wait;
            lock (sync)
            {
                if (open)
                {
                    inFlight++;
                    return Client;
                }
                wait = opened.Task;
            }
            try
            {
                await wait.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    public void Leave()
    {
        lock (sync)
        {
            inFlight--;
            if (!open && inFlight == 0) drained.TrySetResult();
        }
    }

    public bool IsOpen
    {
        get
        {
            lock (sync) return open;
        }
    }

    public void Open(HttpClient client)
    {
        lock (sync)
        {
            Client = client;
            open = true;
            opened.TrySetResult();
        }
    }

    /// <summary>Closes the gate; the task completes when no client is inside any more.</summary>
    public Task CloseAsync()
    {
        lock (sync)
        {
            open = false;
            opened = NewSignal();
            drained = NewSignal();
            if (inFlight == 0) drained.TrySetResult();
            return drained.Task;
        }
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
