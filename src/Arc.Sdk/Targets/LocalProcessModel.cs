using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A model in a worker process: calls go to <see cref="RemoteModel{X, Y}"/>, each raced against the process's exit so
/// that a worker dying mid-call (or mid-stream) fails the call at once with <see cref="ArcWorkerExitedException"/> naming the worker.
/// </summary>
internal sealed class LocalProcessModel<X, Y>(RemoteModel<X, Y> remote, WorkerProcess worker) : IDeployedModel<X, Y>, IDeviceInfo, IWorkerProcess, IContractInfo, IAsyncOptimizerState
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    /// <summary>Starts the worker <paramref name="launch"/> describes and connects to its model; the worker is killed if connecting fails.</summary>
    public static async Task<LocalProcessModel<X, Y>> StartAsync(WorkerLaunch launch, LocalProcessOptions options, CancellationToken cancellationToken)
    {
        var worker = await WorkerProcess.StartAsync(launch, options, cancellationToken).ConfigureAwait(false);
        try
        {
            return new LocalProcessModel<X, Y>(await RemoteModel<X, Y>.ConnectAsync(worker.Address, worker.ClientOptions, owned: null, cancellationToken).ConfigureAwait(false), worker);
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public string Name => remote.Name;

    public string DeviceName => remote.DeviceName;

    /// <summary>What another client of this worker needs besides its address (the token), for benchmarks and tests.</summary>
    internal ArcChannelOptions ClientOptions => worker.ClientOptions;

    /// <summary>The worker's address.</summary>
    internal Uri Address => remote.Address;

    /// <inheritdoc />
    public int ProcessId => worker.ProcessId;

    /// <inheritdoc />
    public Uri Endpoint => remote.Address;

    /// <inheritdoc />
    public string Token => worker.ClientOptions.Token!;

    /// <summary>The contract the worker described (the client checks calls against it before sending).</summary>
    public DataContract Contract => remote.Contract;

    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.FitAsync(x, y, cancellationToken).AsTask(), "Fit");

    public IAsyncEnumerable<FitResult> FitBatchesAsync(IAsyncEnumerable<Batch<X, Y>> batches, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceStream(worker, remote.FitBatchesAsync(batches, cancellationToken), "FitStream", cancellationToken);

    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.PredictTask(x, cancellationToken), "Predict");

    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.SaveWeightsAsync(destination, cancellationToken), "SaveWeights");

    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.LoadWeightsAsync(source, cancellationToken), "LoadWeights");

    /// <inheritdoc />
    public ValueTask<bool> TrySaveOptimizerStateAsync(Stream destination, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.TrySaveOptimizerStateAsync(destination, cancellationToken).AsTask(), "SaveOptimizerState");

    /// <inheritdoc />
    public ValueTask LoadOptimizerStateAsync(Stream source, CancellationToken cancellationToken = default)
        => WorkerCallGuard.RaceAsync(worker, remote.LoadOptimizerStateAsync(source, cancellationToken), "LoadOptimizerState");

    public async ValueTask DisposeAsync()
    {
        await remote.DisposeAsync().ConfigureAwait(false);
        await worker.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"model '{Name}' in worker process {worker.ProcessId} at {remote.Address}";
}
