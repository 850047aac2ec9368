namespace Arc.Types;

/// <summary>
/// The optimizer state of a model that lives elsewhere (a worker process or a pod), saved and restored over calls:
/// the asynchronous form of <see cref="IOptimizerState"/>, so that a run on a worker resumes from a checkpoint exactly
/// as one in process does.
/// </summary>
public interface IAsyncOptimizerState
{
    /// <summary>
    /// Writes the model's optimizer state to <paramref name="destination"/>; false, with nothing written, when the model
    /// has none (it does not implement <see cref="IOptimizerState"/> where it runs).
    /// </summary>
    ValueTask<bool> TrySaveOptimizerStateAsync(Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Restores a state written by <see cref="TrySaveOptimizerStateAsync"/> (or <see cref="IOptimizerState.SaveOptimizerState"/>) of a model of the same class and hyperparameters.</summary>
    /// <exception cref="NotSupportedException">The model has no optimizer state (remotely: an error whose remote type says so).</exception>
    ValueTask LoadOptimizerStateAsync(Stream source, CancellationToken cancellationToken = default);
}
