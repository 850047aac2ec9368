using Arc.Types;
namespace Arc.Sdk;

/// <summary>One training step done; reported by <see cref="SupervisedJob{X,Y}.TrainAsync"/> after every step.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Batch">The step within this epoch, from 1.</param>
/// <param name="BatchesPerEpoch">Steps in a full epoch.</param>
/// <param name="Samples">Samples fitted so far, all epochs.</param>
/// <param name="Loss">This step's loss.</param>
/// <param name="EpochLoss">Mean loss over this epoch so far, weighted by batch size.</param>
/// <param name="SamplesPerSecond">Throughput since training started.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct TrainProgress(string Model, int Epoch, int Epochs, int Batch, int BatchesPerEpoch, long Samples,
    double Loss, double EpochLoss, double SamplesPerSecond, TimeSpan Elapsed)
{
    /// <summary>Whether this step finished its epoch.</summary>
    public bool EndOfEpoch => Batch == BatchesPerEpoch;
}
