using System.Diagnostics;
using Arc.Types;

namespace Arc;

public abstract partial class SupervisedJob<X, Y>
{
    /// <summary>
    /// The plain training loop: for each epoch, stream the training split (reshuffled per epoch) and call
    /// <c>FitAsync</c> on every batch, until the epochs are done or the time budget is spent. Works for any
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
        var clock = Stopwatch.StartNew();
        int total = (await GetSplitAsync(options.Split, cancellationToken).ConfigureAwait(false)).Inputs.Count;
        int batchesPerEpoch = (total + options.BatchSize - 1) / options.BatchSize;

        long steps = 0, samples = 0;
        int epochsCompleted = 0;
        double lastLoss = double.NaN;
        bool budgetSpent = false;
        for (int epoch = 1; epoch <= options.Epochs && !budgetSpent; epoch++)
        {
            int? seed = options.ShuffleSeed is int s ? unchecked(s + epoch - 1) : null;
            double lossSum = 0;
            long epochSamples = 0;
            int batch = 0;
            await foreach (var (x, y) in StreamAsync(options.BatchSize, options.Split, seed, cancellationToken).ConfigureAwait(false))
            {
                if (options.Budget is TimeSpan budget && clock.Elapsed >= budget)
                {
                    budgetSpent = true;
                    break;
                }
                var result = await model.FitAsync(x, y, cancellationToken).ConfigureAwait(false);
                batch++;
                steps++;
                samples += x.Count;
                epochSamples += x.Count;
                lossSum += result.Loss * x.Count;
                lastLoss = lossSum / epochSamples;
                var elapsed = clock.Elapsed;
                progress?.Report(new TrainProgress(model.Name, epoch, options.Epochs, batch, batchesPerEpoch, samples,
                    result.Loss, lastLoss, elapsed.TotalSeconds > 0 ? samples / elapsed.TotalSeconds : 0, elapsed));
            }
            if (!budgetSpent) epochsCompleted++;
        }
        return new TrainSummary(model.Name, epochsCompleted, steps, samples, lastLoss, clock.Elapsed, budgetSpent);
    }
}
