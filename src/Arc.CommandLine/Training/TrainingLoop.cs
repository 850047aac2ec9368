using System.Diagnostics;
using Arc.Sdk;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary>
/// The command line's training loop, in this process: epoch e streams the training split shuffled with seed
/// <c>Seed + e - 1</c> (the same order as <see cref="SupervisedJob{X,Y}.TrainAsync"/>), one <c>FitAsync</c> per batch,
/// an evaluation after each epoch, checkpoints every <see cref="CheckpointEvery"/> steps and at the end. Resumed from
/// <see cref="Start"/>, it skips the batches of the current epoch that were already fitted, so with the weights and
/// optimizer state of the checkpoint it takes exactly the steps an uninterrupted run takes. A stop request (Ctrl+C) or
/// the budget ends it between steps, with a checkpoint.
/// </summary>
internal sealed class TrainingLoop<X, Y>(SupervisedJob<X, Y> job, ISupervisedModel<X, Y> model, OutputPipeline output, string runFolder)
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    public const string Completed = "completed";
    public const string Interrupted = "interrupted";
    public const string BudgetSpent = "budget";

    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public int Seed { get; init; }
    public int CheckpointEvery { get; init; }
    public TimeSpan? Budget { get; init; }
    public CheckpointState Start { get; init; } = new(1, 0, 0, 0, false);

    /// <summary>The model's constructor parameter values, as the run reports them (<see cref="RunStarted.Parameters"/>).</summary>
    public IReadOnlyDictionary<string, object?> ModelParameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>The job's constructor parameter values, as the run reports them.</summary>
    public IReadOnlyDictionary<string, object?> JobParameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>Times each step's phases when set (<c>--profile</c>); null costs nothing.</summary>
    public StepProfiler? Profiler { get; init; }

    public async Task<string> RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        int total = (await job.GetSplitAsync(DataSplit.Train, CancellationToken.None).ConfigureAwait(false)).Inputs.Count;
        int batchesPerEpoch = (total + BatchSize - 1) / BatchSize;
        output.RunStarted(new RunStarted("train", model.Name, job.Name, runFolder, Epochs, batchesPerEpoch, Start.Step,
            RunParameters.Of(Epochs, BatchSize, Seed, ModelParameters, JobParameters)));

        var state = Start;
        long samplesHere = 0;
        string outcome = Completed;
        int firstEpoch = Start.EpochComplete ? Start.Epoch + 1 : Start.Epoch;
        for (int epoch = firstEpoch; epoch <= Epochs && outcome == Completed; epoch++)
        {
            int skip = epoch == Start.Epoch && !Start.EpochComplete ? Start.Batch : 0;
            int batch = 0;
            double lossSum = 0;
            long epochSamples = 0;
            // The data stream is not cancelled by Ctrl+C: the step in progress finishes, then the loop stops.
            var batches = job.StreamAsync(BatchSize, DataSplit.Train, unchecked(Seed + epoch - 1), CancellationToken.None).GetAsyncEnumerator();
            try
            {
                while (true)
                {
                    long waitStart = Profiler is null ? 0 : Stopwatch.GetTimestamp();
                    if (!await batches.MoveNextAsync().ConfigureAwait(false)) break;
                    var (x, y) = batches.Current;
                    if (Profiler is not null && batch >= skip) Profiler.Record(StepPhase.WaitForData, waitStart, Stopwatch.GetTimestamp());
                    if (++batch <= skip) continue;
                    if (stop.IsCancellationRequested) { outcome = Interrupted; break; }
                    if (Budget is TimeSpan budget && clock.Elapsed >= budget) { outcome = BudgetSpent; break; }
                    var fit = await model.FitAsync(x, y, CancellationToken.None).ConfigureAwait(false);
                    samplesHere += fit.Samples;
                    lossSum += fit.Loss * fit.Samples;
                    epochSamples += fit.Samples;
                    state = new CheckpointState(epoch, batch, state.Step + 1, state.Samples + fit.Samples, EpochComplete: false);
                    output.Step(new StepCompleted(state.Step, epoch, batch, fit.Loss, state.Samples, samplesHere / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), clock.Elapsed));
                    if (CheckpointEvery > 0 && state.Step % CheckpointEvery == 0)
                        await CheckpointAsync(state).ConfigureAwait(false);
                }
            }
            finally
            {
                await batches.DisposeAsync().ConfigureAwait(false);
            }
            if (outcome != Completed) break;
            state = state with { Epoch = epoch, Batch = batch, EpochComplete = true };
            var metrics = await EvaluateAsync().ConfigureAwait(false);
            output.Epoch(new EpochCompleted(epoch, state.Step, epochSamples > 0 ? lossSum / epochSamples : double.NaN, metrics?.Metrics ?? new Dictionary<string, double>()));
            if (epoch == Epochs && metrics is not null)
                output.Evaluated(new Evaluated(metrics));
        }

        string checkpoint = await CheckpointAsync(state).ConfigureAwait(false);
        if (Profiler is not null)
        {
            string trace = Path.Combine(runFolder, "profile.trace.json");
            Profiler.WriteTrace(trace);
            string summary = Profiler.Summary();
            await File.WriteAllTextAsync(Path.Combine(runFolder, "profile.txt"), summary).ConfigureAwait(false);
            output.Log(LogLevel.Info, $"step phases (also in profile.txt; Chrome trace for Perfetto: {trace}):{Environment.NewLine}{summary.TrimEnd()}");
        }
        output.Log(LogLevel.Info, outcome switch
        {
            Interrupted => $"interrupted: checkpoint {checkpoint}; continue with --resume {runFolder}",
            BudgetSpent => $"time budget spent: checkpoint {checkpoint}; continue with --resume {runFolder}",
            _ => $"checkpoint {checkpoint}",
        });
        await output.RunEndedAsync(new RunEnded(outcome, state.Step, clock.Elapsed)).ConfigureAwait(false);
        return outcome;
    }

    private Task<string> CheckpointAsync(CheckpointState state) => Checkpoints.SaveAsync(runFolder, model, state, CancellationToken.None);

    /// <summary>The evaluation split's report, or null when the job has none (test, else validation).</summary>
    private async Task<EvalReport?> EvaluateAsync()
    {
        foreach (var split in new[] { DataSplit.Test, DataSplit.Validation })
        {
            try
            {
                return await job.EvaluateAsync(model, split).ConfigureAwait(false);
            }
            catch (NotSupportedException)
            {
                // The job has no such split; try the next.
            }
        }
        return null;
    }
}
