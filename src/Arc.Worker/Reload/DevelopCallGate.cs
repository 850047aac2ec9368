using Grpc.Core;

namespace Arc.Worker;

/// <summary>
/// Orders a develop worker's calls and reloads: calls run side by side (a job's stream while the same client samples,
/// several pod calls; a model's handler serializes its own calls), and a reload waits for the running calls to finish
/// and holds new ones back until it has published the new code. Without the sharing, a client that samples a job
/// while reading one of its streams would wait on itself.
/// </summary>
internal sealed class DevelopCallGate
{
    private readonly SemaphoreSlim _entry = new(1, 1); // held briefly by each call to enter, and for a whole reload
    private readonly Lock _count = new();
    private int _running;
    private TaskCompletionSource? _idle;

    /// <summary>Enters a call (after any reload in progress); dispose the result when the call ends.</summary>
    /// <exception cref="RpcException">Cancelled while a reload ran.</exception>
    public async Task<IDisposable> EnterCallAsync(CancellationToken cancellationToken)
    {
        await WaitEntryAsync(cancellationToken);
        lock (_count) _running++;
        _entry.Release();
        return new Exit(this);
    }

    /// <summary>Enters a reload: no new call starts, and every running call has finished. Pair with <see cref="ExitReload"/>.</summary>
    public async Task EnterReloadAsync(CancellationToken cancellationToken)
    {
        await WaitEntryAsync(cancellationToken);
        Task drained;
        lock (_count) drained = _running == 0 ? Task.CompletedTask : (_idle = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        try
        {
            await drained.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _entry.Release();
            throw new RpcException(new Status(StatusCode.Cancelled, "the reload was cancelled while calls ran"));
        }
    }

    /// <summary>Lets calls in again.</summary>
    public void ExitReload() => _entry.Release();

    private void ExitCall()
    {
        lock (_count)
        {
            if (--_running == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }

    private async Task WaitEntryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _entry.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled while a reload ran"));
        }
    }

    private sealed class Exit(DevelopCallGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.ExitCall();
        }
    }
}
