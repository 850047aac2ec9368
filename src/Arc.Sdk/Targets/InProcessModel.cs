using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What <see cref="Target.InProcess"/> deploys: the model object itself behind the <see cref="IDeployedModel{X, Y}"/>
/// shape — calls go straight to it (no copy, no serialisation), disposing disposes it. Arguments are checked and a
/// disposed model refused (<see cref="ObjectDisposedException"/>) as on every other target (docs/errors.md).
/// </summary>
public sealed class InProcessModel<X, Y> : IDeployedModel<X, Y>, IDeviceInfo
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private int _disposed;

    /// <summary>Wraps <paramref name="model"/> and owns it.</summary>
    public InProcessModel(ISupervisedModel<X, Y> model) => Model = model ?? throw new ArgumentNullException(nameof(model));

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
        ThrowIfDisposed();
        return Model.FitAsync(x, y, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<FitResult> FitBatchesAsync(IAsyncEnumerable<Batch<X, Y>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ThrowIfDisposed();
        return Model.FitBatchesAsync(batches, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
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

    /// <summary>Disposes the model (once).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Disposal.DisposeIfDisposableAsync(Model).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"in-process model '{Name}'";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
