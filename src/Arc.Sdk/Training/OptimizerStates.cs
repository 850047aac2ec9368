using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Saves and restores the optimizer state of any model, wherever it runs: one in this process through
/// <see cref="IOptimizerState"/>, one on a worker or in a pod (and every client of one) through
/// <see cref="IAsyncOptimizerState"/>. Checkpoints that resume exactly use it.
/// </summary>
public static class OptimizerStates
{
    /// <summary>Writes <paramref name="model"/>'s optimizer state to <paramref name="destination"/>; false, with nothing written, when it has none.</summary>
    public static async ValueTask<bool> TrySaveAsync(object model, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        switch (model)
        {
            case IOptimizerState local:
                local.SaveOptimizerState(destination);
                return true;
            case IAsyncOptimizerState remote:
                return await remote.TrySaveOptimizerStateAsync(destination, cancellationToken).ConfigureAwait(false);
            default:
                return false;
        }
    }

    /// <summary>Restores <paramref name="model"/>'s optimizer state from <paramref name="source"/>; false, with nothing read, when the model has none.</summary>
    /// <exception cref="InvalidDataException">The state does not fit the model (remotely: an Arc remote exception of that type).</exception>
    public static async ValueTask<bool> TryLoadAsync(object model, Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        switch (model)
        {
            case IOptimizerState local:
                local.LoadOptimizerState(source);
                return true;
            case IAsyncOptimizerState remote:
                await remote.LoadOptimizerStateAsync(source, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Restores the optimizer state of <paramref name="model"/> (named <paramref name="name"/> in the error), which must have one.</summary>
    /// <exception cref="NotSupportedException">The model has no optimizer state.</exception>
    internal static async ValueTask LoadAsync(object model, string name, Stream source, CancellationToken cancellationToken)
    {
        if (!await TryLoadAsync(model, source, cancellationToken).ConfigureAwait(false))
            throw new NotSupportedException($"model '{name}' ({model.GetType().Name}) has no optimizer state to restore");
    }
}
