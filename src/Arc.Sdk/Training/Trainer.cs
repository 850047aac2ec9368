using System.Diagnostics;
using Arc.Types;

namespace Arc;

/// <summary>
/// Trains several models (local or remote) on one job at once: each batch is streamed from the job once and handed
/// to every healthy model concurrently, so all models see the same batches in the same order. A model that throws is
/// dropped with its exception kept and the others go on. At the end every healthy model is evaluated on
/// <see cref="EvaluationSplit"/> and the entries are ranked by the headline metric: <c>accuracy</c> when the reports
/// have it, else the first metric of the first report, higher is better.
/// </summary>
/// <param name="options">Epochs, batch size, shuffling, budget (as for <see cref="SupervisedJob{X,Y}.TrainAsync"/>); defaults when null.</param>
public sealed class Trainer<X, Y>(TrainOptions? options = null)
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

        var clock = Stopwatch.StartNew();
        var states = models.Select(m => new ModelState(m)).ToArray();
        long samples = 0;
        int epochsCompleted = 0;
        bool budgetSpent = false;
        for (int epoch = 1; epoch <= Options.Epochs && !budgetSpent && states.Any(s => s.Healthy); epoch++)
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
                await Task.WhenAll(states.Where(st => st.Healthy).Select(st => st.FitAsync(x, y, cancellationToken))).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                batch++;
                samples += x.Count;
                int healthy = states.Count(st => st.Healthy);
                progress?.Report(new TrainerProgress(epoch, Options.Epochs, batch, samples, healthy, states.Length - healthy, clock.Elapsed));
                if (healthy == 0) break;
            }
            if (!budgetSpent && states.Any(st => st.Healthy)) epochsCompleted++;
        }

        await Task.WhenAll(states.Where(st => st.Healthy).Select(st => st.EvaluateAsync(job, EvaluationSplit, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var (ranked, metric) = Rank(states);
        return new TrainerResult<X, Y>(ranked, metric, epochsCompleted, budgetSpent, clock.Elapsed);
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

    /// <summary>One model's progress; a failure is kept, never thrown, so one model cannot stop the others.</summary>
    private sealed class ModelState(ISupervisedModel<X, Y> model)
    {
        public ISupervisedModel<X, Y> Model { get; } = model;
        public Exception? Error { get; private set; }
        public EvalReport? Report { get; private set; }
        public long Steps { get; private set; }
        public bool Healthy => Error is null;

        public async Task FitAsync(X x, Y y, CancellationToken cancellationToken)
        {
            try
            {
                // Task.Run: a local model fits synchronously inside FitAsync; without it the models would take turns.
                await Task.Run(async () => await Model.FitAsync(x, y, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                Steps++;
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                Error = e;
            }
        }

        public async Task EvaluateAsync(ISupervisedJob<X, Y> job, DataSplit split, CancellationToken cancellationToken)
        {
            try
            {
                Report = await Task.Run(async () => await job.EvaluateAsync(Model, split, cancellationToken: cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                Error = e;
            }
        }
    }
}
