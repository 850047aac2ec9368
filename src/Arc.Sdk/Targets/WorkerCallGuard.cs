using System.Runtime.CompilerServices;

namespace Arc.Sdk;

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
        await Task.WhenAny(call, worker.Exited).ConfigureAwait(false);
        // A call that finished counts even if the worker exited just after answering it.
        if (call.IsCompleted)
        {
            if (call.IsCompletedSuccessfully || call.IsCanceled) return await call.ConfigureAwait(false);
            // The call failed: if the worker is dying, that is the error to report, not the broken connection.
            if (await Task.WhenAny(worker.Exited, Task.Delay(ExitGrace)).ConfigureAwait(false) != worker.Exited) return await call.ConfigureAwait(false);
        }
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Exception? cause = call.IsFaulted ? call.Exception!.InnerException : null;
        throw new ArcWorkerExitedException(worker.ModelName, worker.ProcessId, worker.ExitCode,
            $"during {method}: {worker.RecentErrors()}", cause);
    }

    /// <summary>As <see cref="RaceAsync{T}"/> for a call without a result.</summary>
    public static async ValueTask RaceAsync(WorkerProcess worker, ValueTask call, string method)
        => await RaceAsync(worker, Done(call), method).ConfigureAwait(false);

    /// <summary>
    /// The stream's items, each wait for the next one raced against the worker's exit like <see cref="RaceAsync{T}"/>,
    /// so a worker dying mid-stream ends the enumeration at once with <see cref="ArcWorkerExitedException"/>.
    /// </summary>
    public static async IAsyncEnumerable<T> RaceStream<T>(WorkerProcess worker, IAsyncEnumerable<T> stream, string method,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = stream.GetAsyncEnumerator(cancellationToken);
        Task<bool>? pending = null;
        try
        {
            while (true)
            {
                pending = items.MoveNextAsync().AsTask();
                if (!await RaceAsync(worker, pending, method).ConfigureAwait(false)) break;
                yield return items.Current;
            }
        }
        finally
        {
            if (pending is null || pending.IsCompleted) await items.DisposeAsync().ConfigureAwait(false);
            // After a lost race the MoveNext still runs, and an enumerator cannot be disposed under it: dispose it once
            // it settles (the broken connection ends it promptly).
            else _ = pending.ContinueWith(async _ => await items.DisposeAsync().ConfigureAwait(false), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private static async Task<bool> Done(ValueTask call)
    {
        await call.ConfigureAwait(false);
        return true;
    }
}
