using Grpc.Core;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// Calls <c>arc.Model</c> on a worker. Each call takes a cancellation token (cancelling it cancels the call on the
/// worker too) and an optional deadline (the worker's token fires when it passes). Arguments are checked before
/// anything is sent, and no <see cref="RpcException"/> leaves a call: a cancelled call or one past its deadline ends
/// with <see cref="OperationCanceledException"/> (the <see cref="RpcException"/> as its inner exception), an argument
/// error the worker reports with the same <see cref="ArgumentException"/> as in process, a model exception with
/// <see cref="ArcRemoteException"/>, an unreachable worker with <see cref="ArcWorkerUnavailableException"/>, and any
/// other status (a busy worker, a message over a limit) with <see cref="ArcRemoteCallException"/>. docs/errors.md
/// has the whole table.
/// </summary>
public sealed partial class RemoteModelClient<X, Y> where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    private readonly ArcChannel _channel;

    /// <summary>A client over <paramref name="channel"/> (the client owns nothing; dispose the channel).</summary>
    public RemoteModelClient(ArcChannel channel) => _channel = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>Trains the remote model on one batch.</summary>
    public Task<FitReply> FitAsync(X inputs, Y targets, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ModelArguments.CheckPair(inputs, targets);
        return CallAsync(ArcModelMethods<X, Y>.Fit, new FitRequest<X, Y>(inputs, targets), deadline, cancellationToken);
    }

    /// <summary>Predicts one batch on the remote model.</summary>
    public Task<Y> PredictAsync(X inputs, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return CallAsync(ArcModelMethods<X, Y>.Predict, inputs, deadline, cancellationToken);
    }

    /// <summary>The remote model's weights.</summary>
    public async Task<ReadOnlyMemory<byte>> SaveWeightsAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
        => (await CallAsync(ArcModelMethods<X, Y>.SaveWeights, EmptyMessage.Instance, deadline, cancellationToken).ConfigureAwait(false)).Bytes;

    /// <summary>Replaces the remote model's weights.</summary>
    public Task LoadWeightsAsync(ReadOnlyMemory<byte> weights, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CallAsync(ArcModelMethods<X, Y>.LoadWeights, new WeightsPayload(weights), deadline, cancellationToken);

    /// <summary>The remote model's optimizer state; empty when the model has none.</summary>
    public async Task<ReadOnlyMemory<byte>> SaveOptimizerStateAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
        => (await CallAsync(ArcModelMethods<X, Y>.SaveOptimizerState, EmptyMessage.Instance, deadline, cancellationToken).ConfigureAwait(false)).Bytes;

    /// <summary>Restores the remote model's optimizer state from <see cref="SaveOptimizerStateAsync"/>'s bytes.</summary>
    public Task LoadOptimizerStateAsync(ReadOnlyMemory<byte> state, DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CallAsync(ArcModelMethods<X, Y>.LoadOptimizerState, new WeightsPayload(state), deadline, cancellationToken);

    /// <summary>The remote model's name and X/Y wire tags.</summary>
    public Task<ModelDescription> DescribeAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
        => CallAsync(ArcModelMethods<X, Y>.Describe, EmptyMessage.Instance, deadline, cancellationToken);

    private Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request,
        DateTime? deadline, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
        => RemoteCallErrors.UnaryAsync(_channel, method, request, deadline, cancellationToken);
}
