using System.Diagnostics;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The evaluation loop shared by every job (a local <see cref="SupervisedJob{X, Y}"/> and a remote job): predicts
/// each streamed batch, scores it as it comes (memory does not grow with the split) and builds the report.
/// </summary>
internal static class JobEvaluation
{
    /// <summary>Scores <paramref name="model"/> over <paramref name="batches"/> with <paramref name="evaluator"/>; throws when no sample came.</summary>
    /// <param name="jobName">The job named in the report and in errors.</param>
    /// <param name="batches">One unshuffled pass over <paramref name="split"/>.</param>
    /// <param name="model">Any model over these types.</param>
    /// <param name="evaluator">A fresh evaluator for <typeparamref name="Y"/>.</param>
    /// <param name="split">The split the batches come from.</param>
    /// <param name="totalSamples">The split's size for progress reports; null when unknown (progress then reports the samples seen so far).</param>
    /// <param name="progress">Told after every batch; null for none.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    public static async ValueTask<EvalReport> RunAsync<X, Y>(string jobName, ISupervisedModel<X, Y> model, IEvaluator<Y> evaluator,
        IAsyncEnumerable<Batch<X, Y>> batches, DataSplit split, int? totalSamples, IProgress<EvalProgress>? progress,
        CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var clock = Stopwatch.StartNew();
        int samples = 0, count = 0;
        await foreach (var (x, y) in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var predicted = await model.PredictAsync(x, cancellationToken).ConfigureAwait(false);
            if (predicted is null || predicted.Count != x.Count)
                throw new InvalidOperationException($"model {model.Name} returned {predicted?.Count ?? 0} predictions for a batch of {x.Count} inputs; it must return one per input");
            evaluator.Accumulate(predicted, y);
            samples += x.Count;
            count++;
            progress?.Report(new EvalProgress(split, count, samples, totalSamples ?? samples, clock.Elapsed));
        }
        if (samples == 0)
            throw new InvalidOperationException($"the {split} split of job {jobName} is empty; there is nothing to evaluate");

        var detail = evaluator.Finish();
        return new EvalReport
        {
            Model = model.Name,
            Job = jobName,
            Split = split,
            Samples = samples,
            Metrics = detail.Headline,
            Device = model is IDeviceInfo device ? device.DeviceName : "unknown",
            Duration = clock.Elapsed,
            Detail = detail,
        };
    }
}
