using System.Runtime.InteropServices;
using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Serves one <see cref="ISupervisedModel{X, Y}"/> (usually a local <see cref="SupervisedModel{X, Y}"/>) as an
/// <see cref="IRemoteModelHandler{X, Y}"/>, so an <see cref="ArcWorkerHost"/> can put it behind <c>arc.Model</c>.
/// </summary>
/// <remarks>
/// A worker answers concurrent calls on thread-pool threads, but a model is not thread-safe (a TorchSharp module and
/// its optimizer certainly are not), so calls into the model run one at a time, in arrival order of the gate.
/// A call waiting for its turn still honours its cancellation token. The calls run on one thread of the handler's own,
/// started at the first call, so that the model's native memory stays in one glibc heap (see ModelThread). <see cref="FitResult.Metrics"/> do not travel:
/// the protocol's <c>Fit</c> reply carries only loss and samples.
/// </remarks>
public sealed partial class SupervisedModelHandler<X, Y> : IRemoteModelHandler<X, Y>, IAsyncDisposable
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly ISupervisedModel<X, Y> _model;
    private readonly bool _ownsModel;
    private readonly DataContract _contract;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ModelThread? _thread; // made at the first call, under the gate
    private bool _disposed;

    /// <summary>Serves <paramref name="model"/>; with <paramref name="ownsModel"/> disposing the handler disposes the model.</summary>
    public SupervisedModelHandler(ISupervisedModel<X, Y> model, bool ownsModel = false)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _ownsModel = ownsModel;
        _contract = DataContract.Of(model);
    }

    /// <summary>The model served.</summary>
    public ISupervisedModel<X, Y> Model => _model;

    /// <inheritdoc />
    public ModelDescription Describe()
        => new(_model.Name, X.WireTag, Y.WireTag, (_model as IDeviceInfo)?.DeviceName) { Contract = _contract.IsEmpty ? null : _contract };

    /// <summary>
    /// Trains on one batch. The batch is checked against the model's contract first (decoded, not yet in the model):
    /// a misfit is <see cref="ArgumentException"/> naming both shapes, which the worker answers as <c>InvalidArgument</c>.
    /// </summary>
    public async ValueTask<FitReply> FitAsync(X inputs, Y targets, CancellationToken cancellationToken)
    {
        _contract.CheckX(inputs);
        _contract.CheckY(targets);
        var result = await RunAsync(ct => _model.FitAsync(inputs, targets, ct), cancellationToken).ConfigureAwait(false);
        return new FitReply(result.Loss, result.Samples);
    }

    /// <summary>Predicts one batch, checked against the model's contract first (as <see cref="FitAsync"/>).</summary>
    public ValueTask<Y> PredictAsync(X inputs, CancellationToken cancellationToken)
    {
        try { _contract.CheckX(inputs); }
        catch (ArgumentException e) { return ValueTask.FromException<Y>(e); }
        return RunAsync(ct => _model.PredictAsync(inputs, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> SaveWeightsAsync(CancellationToken cancellationToken)
        => RunAsync(async ct =>
        {
            using var buffer = new MemoryStream();
            await _model.SaveWeightsAsync(buffer, ct).ConfigureAwait(false);
            return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask LoadWeightsAsync(ReadOnlyMemory<byte> weights, CancellationToken cancellationToken)
        => new(RunAsync(async ct =>
        {
            using var source = ReadOnlyStream(weights);
            await _model.LoadWeightsAsync(source, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());

    /// <summary>
    /// The served model's optimizer state (<see cref="OptimizerStates"/>: <see cref="IOptimizerState"/>, or
    /// <see cref="IAsyncOptimizerState"/> for a model that is itself remote); empty when the model has none.
    /// </summary>
    public ValueTask<ReadOnlyMemory<byte>> SaveOptimizerStateAsync(CancellationToken cancellationToken)
        => RunAsync(async ct =>
        {
            using var buffer = new MemoryStream();
            return await OptimizerStates.TrySaveAsync(_model, buffer, ct).ConfigureAwait(false)
                ? new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)
                : ReadOnlyMemory<byte>.Empty;
        }, cancellationToken);

    /// <summary>
    /// Restores the served model's optimizer state from <see cref="SaveOptimizerStateAsync"/>'s bytes: state that does
    /// not fit is <see cref="InvalidDataException"/> (the model's own check), a model without optimizer state
    /// <see cref="NotSupportedException"/>.
    /// </summary>
    public ValueTask LoadOptimizerStateAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
        => new(RunAsync(async ct =>
        {
            using var source = ReadOnlyStream(state);
            await OptimizerStates.LoadAsync(_model, _model.Name, source, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());

    /// <summary>
    /// Waits until no call is inside the model, refuses later calls (<see cref="ObjectDisposedException"/>), and
    /// disposes the model when the handler owns it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            if (!_ownsModel) return;
            await Disposal.DisposeIfDisposableAsync(_model).ConfigureAwait(false);
        }
        finally
        {
            _thread?.Dispose();
            _gate.Release();
        }
    }

    /// <summary>A payload as a stream; it usually is an array segment already, read in place rather than copied.</summary>
    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> payload)
        => MemoryMarshal.TryGetArray(payload, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(payload.ToArray(), writable: false);

    private async ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _thread ??= new ModelThread($"arc model {_model.Name}");
            return await _thread.RunAsync(() => call(cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
