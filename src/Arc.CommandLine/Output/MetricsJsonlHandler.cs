using System.Text.Json;

namespace Arc.CommandLine;

/// <summary>
/// <c>metrics.jsonl</c> in the run folder: one JSON object per line, <c>{"kind":"step",…}</c> per step and
/// <c>{"kind":"epoch",…}</c> per epoch, appended (a resumed run continues the same file). Flushed per line, so a
/// killed run keeps every step it finished.
/// </summary>
internal sealed class MetricsJsonlHandler(string path) : IOutputHandler
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    public void OnRunStarted(RunStarted e) => Write(new { kind = "start", command = e.Command, model = e.Model, job = e.Job, first_step = e.FirstStep, time = DateTimeOffset.UtcNow });

    public void OnStep(StepCompleted e)
        => Write(new { kind = "step", step = e.Step, epoch = e.Epoch, batch = e.Batch, loss = e.Loss, samples = e.Samples, samples_per_second = e.SamplesPerSecond, elapsed_s = e.Elapsed.TotalSeconds });

    public void OnEpoch(EpochCompleted e) => Write(new { kind = "epoch", epoch = e.Epoch, step = e.Step, mean_loss = e.MeanLoss, metrics = e.Metrics });

    public void OnEvaluated(Evaluated e) => Write(new { kind = "eval", model = e.Report.Model, job = e.Report.Job, split = e.Report.Split.ToString(), samples = e.Report.Samples, metrics = e.Report.Metrics });

    public void OnLog(LogMessage e)
    {
    }

    public Task OnRunEndedAsync(RunEnded e)
    {
        Write(new { kind = "end", outcome = e.Outcome, steps = e.Steps, duration_s = e.Duration.TotalSeconds });
        return Task.CompletedTask;
    }

    private void Write(object value) => _writer.WriteLine(JsonSerializer.Serialize(value, RunJson.Options));

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
