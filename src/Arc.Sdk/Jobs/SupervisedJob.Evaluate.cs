using Arc.Types;

namespace Arc.Sdk;

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
    /// <remarks>When <paramref name="model"/> was trained with a recorder (<see cref="TrainOptions.Tracking"/>), the report is added to that run's record.</remarks>
    /// <exception cref="InvalidOperationException">The split is empty, or the model returned the wrong number of predictions.</exception>
    /// <exception cref="NotSupportedException">No evaluator is known for <typeparamref name="Y"/> (see <see cref="Evaluators"/>).</exception>
    public virtual async ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split, int batchSize,
        IProgress<EvalProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var evaluator = CreateEvaluator();
        int total = (await GetSourceAsync(split, cancellationToken).ConfigureAwait(false)).Count;
        if (total == 0)
            throw new InvalidOperationException($"the {split} split of job {Name} is empty; there is nothing to evaluate");
        var report = await JobEvaluation.RunAsync(Name, model, evaluator, StreamAsync(batchSize, split, shuffleSeed: null, cancellationToken),
            split, total, progress, cancellationToken).ConfigureAwait(false);
        // A model trained with a recorder gets its evaluation added to that run's record.
        if (TrainingRecorders.LatestOf(model) is { } recording)
            await recording.LogEvaluationAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }
}
