using TorchSharp;

namespace Arc.CommandLine;

/// <summary>
/// TensorBoard event files in <c>tensorboard/</c> of the run folder, written by TorchSharp's <c>SummaryWriter</c>:
/// <c>train/loss</c> per step, <c>train/epoch_loss</c> and <c>eval/&lt;metric&gt;</c> per epoch (at the epoch's last
/// step). <c>tensorboard --logdir runs/</c> shows every run.
/// </summary>
internal sealed class TensorBoardHandler(string folder) : IOutputHandler
{
    private TorchSharp.Modules.SummaryWriter? _writer;

    public void OnRunStarted(RunStarted e)
    {
        Directory.CreateDirectory(folder);
        _writer = torch.utils.tensorboard.SummaryWriter(folder, "", false);
    }

    public void OnStep(StepCompleted e) => _writer?.add_scalar("train/loss", (float)e.Loss, Step(e.Step));

    public void OnEpoch(EpochCompleted e)
    {
        if (_writer is null) return;
        _writer.add_scalar("train/epoch_loss", (float)e.MeanLoss, Step(e.Step));
        foreach (var (name, value) in e.Metrics)
            _writer.add_scalar("eval/" + name, (float)value, Step(e.Step));
    }

    /// <summary>SummaryWriter takes an int step; a run past int.MaxValue steps is refused rather than wrapped.</summary>
    private static int Step(long step) => checked((int)step);

    public void OnEvaluated(Evaluated e)
    {
    }

    public void OnLog(LogMessage e)
    {
    }

    public Task OnRunEndedAsync(RunEnded e) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
