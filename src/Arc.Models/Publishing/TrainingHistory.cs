using Arc.Sdk;

namespace Arc.Models;

/// <summary>
/// The per-epoch history of a training run, for a model version's meta.json. Pass it as the progress of
/// <see cref="SupervisedJob{X, Y}.TrainAsync"/> and it keeps each completed epoch's mean loss and step count;
/// <see cref="Add"/> records epochs of any other loop. Use one per training run: epochs are recorded in increasing
/// order, so a second run's epoch 1 is refused.
/// </summary>
public sealed class TrainingHistory : IProgress<TrainProgress>
{
    private readonly List<EpochRecord> _epochs = [];
    private readonly Lock _gate = new();
    private long _stepsBefore;

    /// <summary>The completed epochs, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs
    {
        get { lock (_gate) return _epochs.ToArray(); }
    }

    /// <summary>Records a completed epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The epoch is not after the last one recorded, or the steps are negative.</exception>
    public void Add(int epoch, double loss, long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        lock (_gate)
        {
            int last = _epochs.Count == 0 ? 0 : _epochs[^1].Epoch;
            if (epoch <= last)
                throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"epochs are recorded in order: epoch {last} is the last one recorded");
            _epochs.Add(new EpochRecord(epoch, loss, steps));
        }
    }

    /// <summary>Takes a training step's progress; the step that ends an epoch records it.</summary>
    public void Report(TrainProgress value)
    {
        if (!value.EndOfEpoch) return;
        long stepsSoFar = (long)(value.Epoch - 1) * value.BatchesPerEpoch + value.Batch;
        Add(value.Epoch, value.EpochLoss, stepsSoFar - _stepsBefore);
        _stepsBefore = stepsSoFar;
    }
}
