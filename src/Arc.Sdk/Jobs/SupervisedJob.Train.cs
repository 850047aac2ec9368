using System.Diagnostics;
using Arc.Types;

namespace Arc.Sdk;

public abstract partial class SupervisedJob<X, Y>
{
    /// <summary>
    /// The plain training loop: for each epoch, stream the training split (reshuffled per epoch) and call
    /// <c>FitBatchesAsync</c> on the batches (one <c>FitAsync</c> each, pipelined for a remote model), until the epochs are done or the time budget is spent. Works for any
    /// <see cref="ISupervisedModel{X,Y}"/>, local or remote.
    /// </summary>
    /// <remarks>
    /// When <see cref="TrainOptions.Tracking"/>, <see cref="TrainOptions.Recorder"/> or <c>ARC_TRACKING_URI</c> is set,
    /// the run records itself (docs/tracking.md): the model's hyperparameters, the environment and the code version when
    /// it starts, the loss of every step, the mean loss of every epoch, a checkpoint every
    /// <see cref="TrainOptions.CheckpointEveryEpochs"/> epochs, and how it ended. An evaluation of the same model
    /// (<see cref="EvaluateAsync(ISupervisedModel{X,Y}, DataSplit, int, CancellationToken)"/>) and a saved artifact of it
    /// (<see cref="ModelArtifacts"/>) are added to the same record afterwards.
    /// </remarks>
    /// <param name="model">The model to fit.</param>
    /// <param name="options">Epochs, batch size, shuffling, budget, recording; defaults when null.</param>
    /// <param name="progress">Told after every step (throttle printing on your side); null for none.</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    public virtual async ValueTask<TrainSummary> TrainAsync(ISupervisedModel<X, Y> model, TrainOptions? options = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new TrainOptions();
        options.Validate();
        DataContractConflictException.ThrowIfConflict(model.Name, DataContract.Of(model), $"job '{Name}'", Contract);
        var clock = Stopwatch.StartNew();
        int total = (await GetSourceAsync(options.Split, cancellationToken).ConfigureAwait(false)).Count;
        int batchesPerEpoch = (total + options.BatchSize - 1) / options.BatchSize;
        var run = await RecordedRun.StartAsync(options, model, Name, "TrainAsync", cancellationToken).ConfigureAwait(false);

        long steps = 0, samples = 0;
        double lastLoss = double.NaN, lossSum = 0;
        long epochSamples = 0;
        int epochsCompleted = 0;
        bool budgetSpent = false;
        try
        {
            // One FitBatchesAsync per stretch of epochs (all of them unless checkpoints are recorded): a remote model
            // pipelines the steps (the next batches travel while the worker fits the current one) instead of draining
            // the pipeline at each epoch's end; a checkpoint drains it, so the weights saved are exactly the epoch's.
            // The feed notes each batch's epoch and size as the model pulls it; results come back in the same order.
            int stretch = run.Active && options.CheckpointEveryEpochs > 0 ? options.CheckpointEveryEpochs : options.Epochs;
            for (int first = 1; first <= options.Epochs && !budgetSpent; first += stretch)
            {
                int last = Math.Min(options.Epochs, first + stretch - 1);
                var feed = new TrainFeed(this, options, first, last, clock, cancellationToken);
                await foreach (var result in model.FitBatchesAsync(feed.BatchesAsync(), cancellationToken).ConfigureAwait(false))
                {
                    var (epoch, batch, count) = feed.Fitted();
                    if (batch == 1) (lossSum, epochSamples) = (0, 0);
                    steps++;
                    samples += count;
                    epochSamples += count;
                    lossSum += result.Loss * count;
                    lastLoss = lossSum / epochSamples;
                    var elapsed = clock.Elapsed;
                    progress?.Report(new TrainProgress(model.Name, epoch, options.Epochs, batch, batchesPerEpoch, samples,
                        result.Loss, lastLoss, elapsed.TotalSeconds > 0 ? samples / elapsed.TotalSeconds : 0, elapsed));
                    await run.StepAsync(steps, epoch, result.Loss, cancellationToken).ConfigureAwait(false);
                    if (batch == batchesPerEpoch) await run.EpochAsync(epoch, steps, lastLoss, cancellationToken).ConfigureAwait(false);
                }
                epochsCompleted = feed.EpochsStreamed;
                budgetSpent = feed.BudgetSpent;
                if (epochsCompleted == last && run.CheckpointDue(last))
                    await run.CheckpointAsync(model, steps, last, lastLoss, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await run.EndAsync(e, cancellationToken).ConfigureAwait(false);
            throw;
        }
        await run.EndAsync(null, cancellationToken).ConfigureAwait(false);
        return new TrainSummary(model.Name, epochsCompleted, steps, samples, lastLoss, clock.Elapsed, budgetSpent);
    }
}
