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
    /// <param name="model">The model to fit.</param>
    /// <param name="options">Epochs, batch size, shuffling, budget; defaults when null.</param>
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

        // One FitBatchesAsync over all epochs: a remote model pipelines the steps (the next batches travel while the
        // worker fits the current one) instead of draining the pipeline at each epoch's end. The feed notes each
        // batch's epoch and size as the model pulls it; results come back in the same order.
        var feed = new TrainFeed(this, options, clock, cancellationToken);
        long steps = 0, samples = 0;
        double lastLoss = double.NaN, lossSum = 0;
        long epochSamples = 0;
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
        }
        int epochsCompleted = feed.EpochsStreamed;
        bool budgetSpent = feed.BudgetSpent;
        return new TrainSummary(model.Name, epochsCompleted, steps, samples, lastLoss, clock.Elapsed, budgetSpent);
    }
}
