using System.Globalization;

namespace Arc.CommandLine;

/// <summary><c>log.txt</c> in the run folder: every log line and each epoch's result, time-stamped (UTC), appended.</summary>
internal sealed class LogFileHandler(string path) : IOutputHandler
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    public void OnRunStarted(RunStarted e) => Line("info", $"{e.Command} model={e.Model} job={e.Job} epochs={e.Epochs} first_step={e.FirstStep}");

    public void OnStep(StepCompleted e)
    {
    }

    public void OnEpoch(EpochCompleted e)
        => Line("info", string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch} step {e.Step} mean_loss {e.MeanLoss:0.000000} ") + string.Join(" ", e.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.000000}"))));

    public void OnEvaluated(Evaluated e) => _writer.Write(e.Report.Format());

    public void OnLog(LogMessage e) => Line(e.Level.ToString().ToLowerInvariant(), e.Message);

    public Task OnRunEndedAsync(RunEnded e)
    {
        Line("info", string.Create(CultureInfo.InvariantCulture, $"ended: {e.Outcome} after {e.Steps} steps, {e.Duration.TotalSeconds:0.0}s"));
        return Task.CompletedTask;
    }

    private void Line(string level, string text) => _writer.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level} {text}");

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
