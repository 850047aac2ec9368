using System.Runtime.CompilerServices;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A job in a worker process: calls go to <see cref="RemoteJob{X, Y}"/>, each raced against the process's exit — for a
/// stream, every next batch — so that a worker dying mid-call fails it at once with <see cref="ArcWorkerExitedException"/>
/// naming the worker.
/// </summary>
internal sealed class LocalProcessJob<X, Y>(RemoteJob<X, Y> remote, WorkerProcess worker) : IDeployedJob<X, Y>, IWorkerProcess, IContractInfo
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Starts the worker <paramref name="launch"/> describes and connects to its job; the worker is killed if connecting fails.</summary>
    public static async Task<LocalProcessJob<X, Y>> StartAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken)
    {
        var worker = await WorkerProcess.StartAsync(launch, options, cancellationToken).ConfigureAwait(false);
        try
        {
            return new LocalProcessJob<X, Y>(await RemoteJob<X, Y>.ConnectAsync(worker.Address, worker.ClientOptions, owned: null, cancellationToken).ConfigureAwait(false), worker);
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public string Name => remote.Name;

    /// <inheritdoc />
    public int ProcessId => worker.ProcessId;

    /// <inheritdoc />
    public Uri Endpoint => remote.Address;

    /// <inheritdoc />
    public string Token => worker.ClientOptions.Token!;

    /// <summary>The contract the worker described.</summary>
    public DataContract Contract => remote.Contract;

    public async IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Our own token, so a stream whose worker died can be cancelled and drained before its enumerator is disposed
        // (disposing an enumerator while a MoveNext is pending would hide the worker's exit behind another error).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = remote.StreamAsync(batchSize, split, shuffleSeed, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            while (true)
            {
                var next = batches.MoveNextAsync().AsTask();
                bool more;
                try
                {
                    more = await WorkerCallGuard.RaceAsync(worker, next, "Stream").ConfigureAwait(false);
                }
                catch (ArcWorkerExitedException)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }
                if (!more) yield break;
                yield return batches.Current;
            }
        }
        finally
        {
            await batches.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.SampleAsync(count, split, seed, cancellationToken).AsTask(), "Sample");

    /// <summary>
    /// Streams the split from the worker through <paramref name="model"/> (which runs wherever it was deployed), scoring
    /// here; a worker exit fails the evaluation with <see cref="ArcWorkerExitedException"/>.
    /// </summary>
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return JobEvaluation.RunAsync(Name, model, Evaluators.Create<Y>(), StreamAsync(batchSize, split, shuffleSeed: null, cancellationToken),
            split, totalSamples: null, progress: null, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await remote.DisposeAsync().ConfigureAwait(false);
        await worker.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"job '{Name}' in worker process {worker.ProcessId} at {remote.Address}";
}
