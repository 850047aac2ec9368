using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What <see cref="Target.InProcess"/> deploys: the model object itself behind the <see cref="IDeployedModel{X, Y}"/>
/// shape — calls go straight to it (no copy, no serialisation), disposing disposes it. Arguments are checked and a
/// disposed model refused (<see cref="ObjectDisposedException"/>) as on every other target (docs/errors.md).
/// </summary>
public sealed class InProcessModel<X, Y> : IDeployedModel<X, Y>, IDeviceInfo, IContractInfo, IAsyncOptimizerState
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private int _disposed;

    /// <summary>Wraps <paramref name="model"/> and owns it.</summary>
    public InProcessModel(ISupervisedModel<X, Y> model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Contract = DataContract.Of(model);
    }

    /// <summary>The model's contract (<see cref="IContractInfo"/>), which calls are checked against.</summary>
    public DataContract Contract { get; }

    /// <summary>
    /// Whether <see cref="FitAsync"/>, <see cref="FitBatchesAsync"/> and <see cref="PredictAsync"/> check their
    /// arguments against <see cref="Contract"/> before calling the model (default true), with the message a worker
    /// gives. Turn it off only where the model is known to be fed what fits and the check's cost matters (bench
    /// <c>contracts</c>: well under a microsecond per call).
    /// </summary>
    public bool ChecksContract { get; set; } = true;

    /// <summary>The model object.</summary>
    public ISupervisedModel<X, Y> Model { get; }

    /// <inheritdoc />
    public string Name => Model.Name;

    /// <summary>The model's device when it reports one (<see cref="IDeviceInfo"/>), else <c>unknown</c> as for the bare model.</summary>
    public string DeviceName => Model is IDeviceInfo device ? device.DeviceName : "unknown";

    /// <inheritdoc />
    public ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
    {
        ModelArguments.CheckPair(x, y);
        if (ChecksContract)
        {
            Contract.CheckX(x);
            Contract.CheckY(y);
        }
        ThrowIfDisposed();
        return Model.FitAsync(x, y, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<FitResult> FitBatchesAsync(IAsyncEnumerable<Batch<X, Y>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ThrowIfDisposed();
        return Model.FitBatchesAsync(ChecksContract && !Contract.IsEmpty ? Checked(batches, Contract, cancellationToken) : batches, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (ChecksContract) Contract.CheckX(x);
        ThrowIfDisposed();
        return Model.PredictAsync(x, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed();
        return Model.SaveWeightsAsync(destination, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ThrowIfDisposed();
        return Model.LoadWeightsAsync(source, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySaveOptimizerStateAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return OptimizerStates.TrySaveAsync(Model, destination, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask LoadOptimizerStateAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return OptimizerStates.LoadAsync(Model, Model.Name, source, cancellationToken);
    }

    /// <summary>Disposes the model (once).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Disposal.DisposeIfDisposableAsync(Model).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"in-process model '{Name}'";

    private static async IAsyncEnumerable<Batch<X, Y>> Checked(IAsyncEnumerable<Batch<X, Y>> batches, DataContract contract,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            contract.CheckX(batch.Inputs);
            contract.CheckY(batch.Targets);
            yield return batch;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
