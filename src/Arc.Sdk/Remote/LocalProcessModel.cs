using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// A model in a worker process: calls go to <see cref="RemoteModel{X, Y}"/>, each raced against the process's exit so
/// that a worker dying mid-call fails the call at once with <see cref="ArcWorkerExitedException"/> naming the worker.
/// </summary>
internal sealed class LocalProcessModel<X, Y>(RemoteModel<X, Y> remote, WorkerProcess worker) : IDeployedModel<X, Y>
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>How long a failed call waits for the process to be seen exiting before reporting the call's own error.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(1);

    public string Name => remote.Name;

    /// <summary>The worker's process id.</summary>
    public int ProcessId => worker.ProcessId;

    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
        => GuardAsync(remote.FitAsync(x, y, cancellationToken).AsTask(), "Fit");

    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
        => GuardAsync(remote.PredictAsync(x, cancellationToken).AsTask(), "Predict");

    public async ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
        => await GuardAsync(Done(remote.SaveWeightsAsync(destination, cancellationToken)), "SaveWeights");

    public async ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
        => await GuardAsync(Done(remote.LoadWeightsAsync(source, cancellationToken)), "LoadWeights");

    public async ValueTask DisposeAsync()
    {
        await remote.DisposeAsync();
        await worker.DisposeAsync();
    }

    public override string ToString() => $"model '{Name}' in worker process {worker.ProcessId} at {remote.Address}";

    private static async Task<bool> Done(ValueTask call)
    {
        await call;
        return true;
    }

    private async ValueTask<T> GuardAsync<T>(Task<T> call, string method)
    {
        await Task.WhenAny(call, worker.Exited);
        // A call that finished counts even if the worker exited just after answering it.
        if (call.IsCompleted)
        {
            if (call.IsCompletedSuccessfully || call.IsCanceled) return await call;
            // The call failed: if the worker is dying, that is the error to report, not the broken connection.
            if (await Task.WhenAny(worker.Exited, Task.Delay(ExitGrace)) != worker.Exited) return await call;
        }
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Exception? cause = call.IsFaulted ? call.Exception!.InnerException : null;
        throw new ArcWorkerExitedException(worker.ModelName, worker.ProcessId, worker.ExitCode,
            $"during {method}: {worker.RecentErrors()}", cause);
    }
}
