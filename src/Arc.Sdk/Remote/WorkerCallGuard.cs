namespace Arc.Remote;

/// <summary>
/// Races calls to a worker process against its exit, so that a worker dying mid-call fails the call at once with
/// <see cref="ArcWorkerExitedException"/> naming the worker instead of a broken connection (or a hang).
/// </summary>
internal static class WorkerCallGuard
{
    /// <summary>How long a failed call waits for the process to be seen exiting before reporting the call's own error.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(1);

    /// <summary>The call's result, or <see cref="ArcWorkerExitedException"/> when the worker exits before it answers.</summary>
    public static async ValueTask<T> RaceAsync<T>(WorkerProcess worker, Task<T> call, string method)
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

    /// <summary>As <see cref="RaceAsync{T}"/> for a call without a result.</summary>
    public static async ValueTask RaceAsync(WorkerProcess worker, ValueTask call, string method)
        => await RaceAsync(worker, Done(call), method);

    private static async Task<bool> Done(ValueTask call)
    {
        await call;
        return true;
    }
}
