using System.Diagnostics;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Trains several models (local or remote) on one job at once: each batch is streamed from the job once and handed
/// to every healthy model, so all models see the same batches in the same order. Each model fits from its own short
/// queue on its own task through <see cref="ISupervisedModel{X, Y}.FitBatchesAsync"/>, so models fit concurrently and a
/// remote model pipelines its steps. A model that throws is
/// dropped with its exception kept and the others go on. At the end every healthy model is evaluated on
/// <see cref="EvaluationSplit"/> and the entries are ranked by the headline metric: <c>accuracy</c> when the reports
/// have it, else the first metric of the first report, higher is better.
/// </summary>
/// <param name="options">Epochs, batch size, shuffling, budget (as for <see cref="SupervisedJob{X,Y}.TrainAsync"/>); defaults when null.</param>
public sealed partial class Trainer<X, Y>(TrainOptions? options = null)
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>The settings used.</summary>
    public TrainOptions Options { get; } = options ?? new TrainOptions();

    /// <summary>The split every model is evaluated on. Default <see cref="DataSplit.Test"/>.</summary>
    public DataSplit EvaluationSplit { get; init; } = DataSplit.Test;

    /// <summary>Trains <paramref name="models"/> together on <paramref name="job"/>, evaluates them and ranks them.</summary>
    /// <param name="job">The job streaming the data and scoring the models.</param>
    /// <param name="models">The models, distinct; at least one.</param>
    /// <param name="progress">Told after every batch; null for none.</param>
    /// <param name="cancellationToken">Stops training and evaluation; throws <see cref="OperationCanceledException"/>.</param>
    /// <remarks>
    /// With a tracking destination (<see cref="TrainOptions.Tracking"/>, <c>ARC_TRACKING_URI</c>) or a
    /// <see cref="TrainOptions.Recorder"/>, every model records its own run, wherever it runs (a worker process too):
    /// hyperparameters, environment, code version, the loss of every step, the mean loss of every epoch, checkpoints
    /// every <see cref="TrainOptions.CheckpointEveryEpochs"/> epochs, how it ended and its evaluation.
    /// </remarks>
    public async Task<TrainerResult<X, Y>> TrainAsync(ISupervisedJob<X, Y> job, IReadOnlyList<ISupervisedModel<X, Y>> models,
        IProgress<TrainerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("give at least one model to train", nameof(models));
        for (int i = 0; i < models.Count; i++)
        {
            if (models[i] is null) throw new ArgumentException($"model {i} is null", nameof(models));
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(models[i], models[j]))
                    throw new ArgumentException($"model {i} ({models[i].Name}) is listed twice; it would be fitted twice per batch", nameof(models));
        }
        Options.Validate();
        // A model that cannot take the job's data is refused now, before any batch is streamed or fitted.
        var jobContract = DataContract.Of(job);
        foreach (var model in models)
            DataContractConflictException.ThrowIfConflict(model.Name, DataContract.Of(model), $"job '{job.Name}'", jobContract);

        var clock = Stopwatch.StartNew();
        var states = models.Select(m => new ModelState(m)).ToArray();
        var tracker = new TrainerProgressTracker(states, Options.Epochs, progress, clock);
        await StartRecordingAsync(states, job.Name, cancellationToken).ConfigureAwait(false);
        List<long> epochsStreamed;
        bool budgetSpent;
        try
        {
            // Each model fits from its own feed on its own task, so a remote model can pipeline (FitBatchesAsync sends
            // batches ahead) while a local one fits in parallel; the feeds are bounded, so memory stays flat.
            var fitting = states.Select(st => Task.Run(() => st.FitAllAsync(tracker, cancellationToken), cancellationToken)).ToArray();
            Exception? streamError;
            (epochsStreamed, budgetSpent, streamError) = await StreamToModelsAsync(job, states, tracker, clock, cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(fitting).ConfigureAwait(false);
            if (streamError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(streamError);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception e)
        {
            foreach (var state in states) await state.Run.EndAsync(e, cancellationToken).ConfigureAwait(false);
            throw;
        }
        foreach (var state in states)
        {
            bool lastEpochWhole = state.Epoch >= 1 && state.Epoch <= epochsStreamed.Count && epochsStreamed[state.Epoch - 1] == state.Steps;
            if (state.Healthy) await state.RecordLastEpochAsync(lastEpochWhole, cancellationToken).ConfigureAwait(false);
            await state.Run.EndAsync(state.Error, cancellationToken).ConfigureAwait(false);
        }
        int epochsCompleted = tracker.EpochsFittedByAnyModel(epochsStreamed);

        await Task.WhenAll(states.Where(st => st.Healthy).Select(st => st.EvaluateAsync(job, EvaluationSplit, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var (ranked, metric) = Rank(states);
        return new TrainerResult<X, Y>(ranked, metric, epochsCompleted, budgetSpent, clock.Elapsed);
    }

    /// <summary>
    /// Starts each model's recording (when a destination is set), on whatever target the model runs. When one cannot
    /// start (the server went away, the store refused), the runs started before it end Failed and the error reaches the
    /// caller: no record is left Running for a training that never began.
    /// </summary>
    private async Task StartRecordingAsync(ModelState[] states, string jobName, CancellationToken cancellationToken)
    {
        for (int i = 0; i < states.Length; i++)
        {
            try
            {
                states[i].Run = await RecordedRun.StartAsync(Options, states[i].Model, jobName, "Trainer", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                for (int started = 0; started < i; started++) await states[started].Run.EndAsync(e, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Streams the job once per epoch and offers each batch to every healthy model's feed in turn, then closes the
    /// feeds. Returns the epochs streamed whole, whether the budget stopped it, and the job's own error if it threw
    /// (reported after the models have finished what they were given).
    /// </summary>
    private async Task<(List<long> EpochEnds, bool BudgetSpent, Exception? Error)> StreamToModelsAsync(ISupervisedJob<X, Y> job,
        ModelState[] states, TrainerProgressTracker tracker, Stopwatch clock, CancellationToken cancellationToken)
    {
        var epochEnds = new List<long>();
        bool budgetSpent = false, allFailed = false;
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs && !budgetSpent && !allFailed; epoch++)
            {
                int? seed = Options.ShuffleSeed is int s ? unchecked(s + epoch - 1) : null;
                int batch = 0;
                await foreach (var (x, y) in job.StreamAsync(Options.BatchSize, Options.Split, seed, cancellationToken).ConfigureAwait(false))
                {
                    if (Options.Budget is TimeSpan budget && clock.Elapsed >= budget)
                    {
                        budgetSpent = true;
                        break;
                    }
                    if (!states.Any(st => st.Healthy))
                    {
                        allFailed = true;
                        break;
                    }
                    tracker.BatchStreamed(epoch, ++batch, x.Count);
                    foreach (var state in states)
                        await state.OfferAsync(new Batch<X, Y>(x, y), cancellationToken).ConfigureAwait(false);
                }
                if (!budgetSpent && !allFailed)
                {
                    epochEnds.Add(tracker.BatchesStreamed);
                    await CheckpointIfDueAsync(states, tracker, epoch, cancellationToken).ConfigureAwait(false);
                }
            }
            return (epochEnds, budgetSpent, null);
        }
        catch (Exception e)
        {
            return (epochEnds, budgetSpent, e);
        }
        finally
        {
            foreach (var state in states) state.CloseFeed();
        }
    }

    /// <summary>
    /// After epoch <paramref name="epoch"/>, when a checkpoint is due: waits until every healthy model has fitted every
    /// batch of it (draining remote pipelines), then records each model's weights; the next epoch starts after.
    /// </summary>
    private static async Task CheckpointIfDueAsync(ModelState[] states, TrainerProgressTracker tracker, int epoch, CancellationToken cancellationToken)
    {
        if (!states.Any(st => st.Healthy && st.Run.CheckpointDue(epoch))) return;
        await tracker.AllCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        foreach (var state in states.Where(st => st.Healthy && st.Run.CheckpointDue(epoch)))
            await state.Run.CheckpointAsync(state.Model, state.Steps, epoch, state.EpochLoss, cancellationToken).ConfigureAwait(false);
    }

    private static (IReadOnlyList<TrainerEntry<X, Y>> Entries, string? Metric) Rank(ModelState[] states)
    {
        var evaluated = states.Where(s => s.Report is not null).ToArray();
        string? metric = evaluated.Length == 0 ? null
            : evaluated.All(s => s.Report!.Metrics.ContainsKey("accuracy")) ? "accuracy"
            : evaluated[0].Report!.Metrics.Keys.FirstOrDefault();
        // OrderByDescending is stable: ties keep the order the models were given in. A report without the metric ranks last.
        var ranked = evaluated
            .OrderByDescending(s => metric is not null && s.Report!.Metrics.TryGetValue(metric, out var v) ? v : double.NegativeInfinity)
            .Concat(states.Where(s => s.Report is null))
            .Select(s => new TrainerEntry<X, Y>(s.Model, s.Report, s.Error, s.Steps))
            .ToArray();
        return (ranked, metric);
    }
}
