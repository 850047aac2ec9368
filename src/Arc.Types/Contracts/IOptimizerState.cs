namespace Arc.Types;

/// <summary>
/// A model whose optimizer state (Adam's moments and step counts, momentum buffers) can be saved and restored, so
/// that training resumed from a checkpoint continues exactly where it stopped. Weights alone are not enough: a fresh
/// optimizer would take different steps.
/// </summary>
public interface IOptimizerState
{
    /// <summary>Writes the optimizer's state to <paramref name="destination"/>.</summary>
    void SaveOptimizerState(Stream destination);

    /// <summary>Restores the state written by <see cref="SaveOptimizerState"/> of a model of the same class and hyperparameters.</summary>
    /// <exception cref="InvalidDataException">The stream is not such a state.</exception>
    void LoadOptimizerState(Stream source);
}
