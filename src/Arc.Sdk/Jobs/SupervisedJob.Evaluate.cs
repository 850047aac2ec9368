using System.Diagnostics;
using Arc.Types;

namespace Arc;

public abstract partial class SupervisedJob<X, Y>
{
    /// <summary>
    /// The evaluator used by <see cref="EvaluateAsync(ISupervisedModel{X,Y}, DataSplit, int, IProgress{EvalProgress}?, CancellationToken)"/>;
    /// by default the one registered for <typeparamref name="Y"/> in <see cref="Evaluators"/>. Override to score this job differently.
    /// </summary>
    protected virtual IEvaluator<Y> CreateEvaluator() => Evaluators.Create<Y>();

    /// <inheritdoc />
    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256, CancellationToken cancellationToken = default)
        => EvaluateAsync(model, split, batchSize, progress: null, cancellationToken);

    /// <summary>
    /// Streams <paramref name="split"/> through <paramref name="model"/>'s <c>PredictAsync</c> in batches, scores each
    /// batch as it comes (memory does not grow with the split) and reports. Works the same for a local model and a remote client.
    /// </summary>
    /// <param name="model">Any model over these types.</param>
    /// <param name="split">The split to score, the test split by default.</param>
    /// <param name="batchSize">Samples per prediction call.</param>
    /// <param name="progress">Told after every batch; null for none.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    /// <exception cref="InvalidOperationException">The split is empty, or the model returned the wrong number of predictions.</exception>
    /// <exception cref="NotSupportedException">No evaluator is known for <typeparamref name="Y"/> (see <see cref="Evaluators"/>).</exception>
    public virtual async ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split, int batchSize,
        IProgress<EvalProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var evaluator = CreateEvaluator();
        var clock = Stopwatch.StartNew();
        int total = (await GetSplitAsync(split, cancellationToken).ConfigureAwait(false)).Inputs.Count;
        if (total == 0)
            throw new InvalidOperationException($"the {split} split of job {Name} is empty; there is nothing to evaluate");

        int samples = 0, batches = 0;
        await foreach (var (x, y) in StreamAsync(batchSize, split, shuffleSeed: null, cancellationToken).ConfigureAwait(false))
        {
            var predicted = await model.PredictAsync(x, cancellationToken).ConfigureAwait(false);
            if (predicted is null || predicted.Count != x.Count)
                throw new InvalidOperationException($"model {model.Name} returned {predicted?.Count ?? 0} predictions for a batch of {x.Count} inputs; it must return one per input");
            evaluator.Accumulate(predicted, y);
            samples += x.Count;
            batches++;
            progress?.Report(new EvalProgress(split, batches, samples, total, clock.Elapsed));
        }

        var detail = evaluator.Finish();
        return new EvalReport
        {
            Model = model.Name,
            Job = Name,
            Split = split,
            Samples = samples,
            Metrics = detail.Headline,
            Device = model is IDeviceInfo device ? device.DeviceName : "unknown",
            Duration = clock.Elapsed,
            Detail = detail,
        };
    }
}
