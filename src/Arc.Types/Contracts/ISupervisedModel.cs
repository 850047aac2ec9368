using System.Runtime.CompilerServices;

namespace Arc.Types;

/// <summary>
/// What every supervised model offers, wherever it runs: a local <see cref="SupervisedModel{X,Y}"/> and a
/// generated remote client both implement it, so a job trains and evaluates either the same way.
/// </summary>
public interface ISupervisedModel<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>The model's registered name.</summary>
    string Name { get; }

    /// <summary>One optimisation step on one batch.</summary>
    ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default);

    /// <summary>
    /// One optimisation step per batch of <paramref name="batches"/>, in order, yielding each step's result as soon as
    /// it is done. The default calls <see cref="FitAsync"/> for one batch after the other; a remote model overrides it
    /// to pipeline the steps (the next batches travel while the worker fits the current one). Either way the model
    /// sees the same batches in the same order, so the results equal those of calling <see cref="FitAsync"/> in a loop.
    /// </summary>
    /// <param name="batches">The batches; read no further ahead than the implementation's pipeline depth.</param>
    /// <param name="cancellationToken">Stops the steps.</param>
    async IAsyncEnumerable<FitResult> FitBatchesAsync(IAsyncEnumerable<Batch<X, Y>> batches,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await foreach (var (x, y) in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return await FitAsync(x, y, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Predictions for a batch.</summary>
    ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default);

    /// <summary>Writes the learned state (weights) to <paramref name="destination"/>.</summary>
    ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the learned state with one written by <see cref="SaveWeightsAsync"/>, all or nothing: weights that do
    /// not fit the model are refused with an error (remotely an <c>ArcRemoteException</c> whose remote type is
    /// <see cref="InvalidDataException"/>) and the model keeps its previous weights (see <see cref="SupervisedModel{X,Y}.LoadWeights"/>).
    /// </summary>
    ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default);
}
