using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Arc.CommandLine;

/// <summary>
/// The console: on a terminal a live Spectre.Console progress bar (epoch, batch, loss, samples/s, ETA) redrawn in
/// place; when output is redirected or <c>CI</c> is set, plain lines at each epoch's end and at most every few seconds.
/// </summary>
internal sealed class ConsoleOutputHandler : IOutputHandler
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly bool _live;
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private RunStarted? _run;
    private ProgressTask? _bar;
    private TaskCompletionSource? _finished;
    private Task? _progress;

    public ConsoleOutputHandler(bool live) => _live = live;

    /// <summary>Whether this process writes to a terminal that can redraw: stdout is not redirected and no CI variable is set.</summary>
    public static bool IsInteractiveTerminal()
        => !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
           && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    public void OnRunStarted(RunStarted e)
    {
        _run = e;
        Console.WriteLine($"{e.Command} {e.Model} on {e.Job}: {e.Epochs} epochs of {e.BatchesPerEpoch} steps{(e.FirstStep > 0 ? $", resuming after step {e.FirstStep}" : "")}; run folder {e.RunFolder}");
        if (!_live) return;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn());
        _progress = progress.StartAsync(async context =>
        {
            _bar = context.AddTask(Describe(e.FirstStep, 0, 0, double.NaN, 0), maxValue: Math.Max(1, (double)e.Epochs * e.BatchesPerEpoch));
            _bar.Value = e.FirstStep;
            ready.SetResult();
            await _finished.Task.ConfigureAwait(false);
            context.Refresh();
        });
        ready.Task.Wait();
    }

    public void OnStep(StepCompleted e)
    {
        if (_bar is not null)
        {
            _bar.Value = e.Step;
            _bar.Description = Describe(e.Step, e.Epoch, e.Batch, e.Loss, e.SamplesPerSecond);
            return;
        }
        if (_sinceLine.Elapsed < PlainInterval) return;
        _sinceLine.Restart();
        Console.WriteLine(Describe(e.Step, e.Epoch, e.Batch, e.Loss, e.SamplesPerSecond));
    }

    private string Describe(long step, int epoch, int batch, double loss, double samplesPerSecond)
        => string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch}/{_run?.Epochs}  batch {batch}/{_run?.BatchesPerEpoch}  step {step}  loss {loss:0.0000}  {samplesPerSecond:0} samples/s");

    public void OnEpoch(EpochCompleted e)
    {
        string metrics = string.Join("  ", e.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.0000}")));
        string line = string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch} done: step {e.Step}  mean loss {e.MeanLoss:0.0000}  {metrics}");
        if (_bar is not null)
            AnsiConsole.MarkupLine(Markup.Escape(line));
        else
            Console.WriteLine(line);
        _sinceLine.Restart();
    }

    public void OnEvaluated(Evaluated e)
    {
        if (_bar is not null) return; // printed after the bar has stopped
        Console.Write(e.Report.Format());
    }

    public void OnLog(LogMessage e)
    {
        var writer = e.Level >= LogLevel.Warning ? Console.Error : Console.Out;
        string text = e.Level >= LogLevel.Warning ? $"{e.Level.ToString().ToLowerInvariant()}: {e.Message}" : e.Message;
        if (_bar is not null && writer == Console.Out)
            AnsiConsole.MarkupLine(Markup.Escape(text));
        else
            writer.WriteLine(text);
    }

    public async Task OnRunEndedAsync(RunEnded e)
    {
        await StopBarAsync().ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_run?.Command ?? "run"} {e.Outcome} after {e.Steps} steps in {e.Duration.TotalSeconds:0.0}s"));
    }

    private async Task StopBarAsync()
    {
        if (_progress is null) return;
        _finished!.TrySetResult();
        await _progress.ConfigureAwait(false);
        _progress = null;
        _bar = null;
    }

    public async ValueTask DisposeAsync() => await StopBarAsync().ConfigureAwait(false);
}
