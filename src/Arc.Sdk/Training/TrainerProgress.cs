using Arc.Types;
namespace Arc.Sdk;

/// <summary>One batch fitted by every healthy model; reported by <see cref="Trainer{X,Y}.TrainAsync"/> after every batch.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Batch">The batch within this epoch, from 1.</param>
/// <param name="Samples">Samples streamed so far, all epochs (each fitted by every healthy model).</param>
/// <param name="HealthyModels">Models still training.</param>
/// <param name="FailedModels">Models that threw and were dropped.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct TrainerProgress(int Epoch, int Epochs, int Batch, long Samples, int HealthyModels, int FailedModels, TimeSpan Elapsed);
