using System.Runtime.CompilerServices;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// Races calls to a worker process against its exit, so that a worker dying mid-call fails the call at once with
/// <see cref="ArcWorkerExitedException"/> naming the worker instead of a broken connection (or a hang). A call that a
/// live worker answered with an error (the model threw, the arguments were refused, the call was cancelled) fails at
/// once with that error: only a failure of the connection itself is worth asking whether the worker died.
/// </summary>
internal static class WorkerCallGuard
{
    /// <summary>
    /// How long a call whose connection failed waits for the process to be seen exiting before reporting the connection's
    /// error. A dying worker breaks its connections a moment before the operating system reports its exit; a worker
    /// that is alive after this long was not what broke the call. Only transport failures ever wait: see
    /// <see cref="RemoteCallErrors.IsTransportFailure"/>.
    /// </summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    /// <summary>The call's result, or <see cref="ArcWorkerExitedException"/> when the worker exits before it answers.</summary>
    public static async ValueTask<T> RaceAsync<T>(WorkerProcess worker, Task<T> call, string method)
    {
        if (!call.IsCompleted) await Task.WhenAny(call, worker.Exited).ConfigureAwait(false);
        // A call that finished counts even if the worker exited just after answering it.
        if (call.IsCompleted)
        {
            if (!call.IsFaulted || !RemoteCallErrors.IsTransportFailure(call.Exception.InnerException!)) return await call.ConfigureAwait(false);
            // The connection failed: if the worker is dying, that is the error to report, not the broken connection.
            if (!await ExitedSoonAsync(worker).ConfigureAwait(false)) return await call.ConfigureAwait(false);
        }
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Exception? cause = call.IsFaulted ? call.Exception!.InnerException : null;
        throw new ArcWorkerExitedException(worker.ModelName, worker.ProcessId, worker.ExitCode,
            $"during {method}: {worker.RecentErrors()}", cause);
    }

    /// <summary>Whether the worker has exited, or does within <see cref="ExitWait"/>.</summary>
    private static async ValueTask<bool> ExitedSoonAsync(WorkerProcess worker)
    {
        if (worker.Exited.IsCompleted) return true;
        using var wait = new CancellationTokenSource(ExitWait);
        try
        {
            await worker.Exited.WaitAsync(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
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
