using Microsoft.Extensions.Logging;

namespace Arc.Sdk;

/// <summary>
/// Seed 004's training protocol (<c>TrainingModule</c>) in .NET: train into a model directory from arguments given as
/// strings. The generator writes one for every <c>[Model]</c> (<c>MyModel.TrainingModule</c>, training through a
/// <c>[Job]</c> named by <c>--job</c>); a class of your own that implements this and has a public parameterless
/// constructor can be named as a model archive's training entry instead. <c>arc train</c> runs it (docs/model-archive.md).
/// </summary>
public interface ITrainingModule
{
    /// <summary>Trains and writes what serving needs into <paramref name="modelDirectory"/>.</summary>
    /// <param name="modelDirectory">The folder to save artifacts to (created when missing).</param>
    /// <param name="arguments">The training arguments, as strings (the seed's <c>*args</c>).</param>
    /// <param name="tensorBoardEnabled">Whether to write TensorBoard event files.</param>
    /// <param name="tensorBoardDirectory">Where to write them when enabled.</param>
    /// <param name="logger">Where to log; null for nowhere.</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    Task TrainAsync(string modelDirectory, IReadOnlyList<string> arguments, bool tensorBoardEnabled = false,
        string tensorBoardDirectory = "logs", ILogger? logger = null, CancellationToken cancellationToken = default);
}
