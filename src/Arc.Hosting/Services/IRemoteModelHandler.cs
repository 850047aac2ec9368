using Arc.Remote;
namespace Arc.Hosting;

/// <summary>
/// What a worker serves for one model: the SDK implements it over a <c>SupervisedModel&lt;X, Y&gt;</c>. Every
/// method gets the call's <see cref="CancellationToken"/>, cancelled when the caller cancels, its deadline passes or
/// the connection drops. An exception thrown here reaches the caller as <c>ArcRemoteException</c>.
/// </summary>
public interface IRemoteModelHandler<X, Y>
{
    /// <summary>The model's name and its X/Y wire tags.</summary>
    ModelDescription Describe();

    /// <summary>Trains on one batch.</summary>
    ValueTask<FitReply> FitAsync(X inputs, Y targets, CancellationToken cancellationToken);

    /// <summary>
    /// Trains on a stream of batches in order, yielding one reply per batch as soon as it is fitted. The default
    /// calls <see cref="FitAsync"/> for each; a handler may override it, e.g. to run the whole stream on one thread.
    /// </summary>
    async IAsyncEnumerable<FitReply> FitStreamAsync(IAsyncEnumerable<(X Inputs, Y Targets)> batches,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (x, y) in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return await FitAsync(x, y, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Predicts one batch.</summary>
    ValueTask<Y> PredictAsync(X inputs, CancellationToken cancellationToken);

    /// <summary>The model's weights as one blob.</summary>
    ValueTask<ReadOnlyMemory<byte>> SaveWeightsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the model's weights with a blob from <see cref="SaveWeightsAsync"/>.</summary>
    ValueTask LoadWeightsAsync(ReadOnlyMemory<byte> weights, CancellationToken cancellationToken);

    /// <summary>The model's optimizer state as one blob; empty (the default) when the model has none.</summary>
    ValueTask<ReadOnlyMemory<byte>> SaveOptimizerStateAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);

    /// <summary>Restores the optimizer state from a blob of <see cref="SaveOptimizerStateAsync"/>; the default refuses (no optimizer state).</summary>
    ValueTask LoadOptimizerStateAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
        => ValueTask.FromException(new NotSupportedException($"{Describe().Name} has no optimizer state to restore"));
}
