using Arc.Types;

namespace Arc;

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

    /// <summary>Predictions for a batch.</summary>
    ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default);

    /// <summary>Writes the learned state (weights) to <paramref name="destination"/>.</summary>
    ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Replaces the learned state with one written by <see cref="SaveWeightsAsync"/>.</summary>
    ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default);
}
