using Microsoft.Extensions.Logging;
using TorchSharp;

namespace Arc.Sdk;

/// <summary>
/// What a generated training module reports while it trains: one log line per epoch (and every 50 steps) to the
/// protocol's logger, and TensorBoard scalars (<c>train/loss</c> per step, <c>train/epoch_loss</c> per epoch) through
/// TorchSharp's <c>SummaryWriter</c> when a directory is given.
/// </summary>
internal sealed class TrainingProgressLog : IProgress<TrainProgress>
{
    private const int StepsPerLine = 50;
    private readonly ILogger? _logger;
    private readonly TorchSharp.Modules.SummaryWriter? _tensorBoard;
    private long _step;

    public TrainingProgressLog(ILogger? logger, string? tensorBoardDirectory)
    {
        _logger = logger;
        if (tensorBoardDirectory is not null)
        {
            Directory.CreateDirectory(tensorBoardDirectory);
            _tensorBoard = torch.utils.tensorboard.SummaryWriter(tensorBoardDirectory, "", false);
        }
    }

    public void Report(TrainProgress value)
    {
        _step++;
        _tensorBoard?.add_scalar("train/loss", (float)value.Loss, checked((int)_step));
        if (value.Batch == value.BatchesPerEpoch)
        {
            _tensorBoard?.add_scalar("train/epoch_loss", (float)value.EpochLoss, checked((int)_step));
            _logger?.LogInformation("epoch {Epoch}/{Epochs}: loss {Loss:F4}, {Samples} samples, {Rate:F0} samples/s",
                value.Epoch, value.Epochs, value.EpochLoss, value.Samples, value.SamplesPerSecond);
        }
        else if (_step % StepsPerLine == 0)
        {
            _logger?.LogDebug("epoch {Epoch} batch {Batch}/{Batches}: loss {Loss:F4}", value.Epoch, value.Batch, value.BatchesPerEpoch, value.Loss);
        }
    }
}
