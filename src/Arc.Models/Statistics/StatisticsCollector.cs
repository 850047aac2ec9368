using Arc.Sdk;
using Arc.Types;

namespace Arc.Models;

/// <summary>Summarises a split of a job (<see cref="DataStatistics"/>).</summary>
internal static class StatisticsCollector
{
    private const int BatchSize = 1024;

    /// <summary>
    /// The statistics of the whole <paramref name="split"/> of <paramref name="job"/>, each histogram spanning its feature's
    /// own range: two passes, streamed a batch at a time (the first finds the ranges, the second counts).
    /// </summary>
    public static async Task<DataStatistics> OfSplitAsync<X, Y>(SupervisedJob<X, Y> job, DataSplit split, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        FeatureAccumulator[]? features = null;
        ClassCounter? classes = null;
        long samples = 0;
        await foreach (var (x, y) in job.StreamAsync(BatchSize, split, shuffleSeed: null, cancellationToken).ConfigureAwait(false))
        {
            features ??= FeatureValues.Names(x).Select(n => new FeatureAccumulator(n, Histogram.DefaultBins, null)).ToArray();
            FeatureValues.Visit(x, (f, values) => features[f].Add(values));
            (classes ??= ClassCounter.For(y))?.Add(y);
            samples += x.Count;
        }
        features ??= [];
        if (features.Length > 0)
        {
            foreach (var feature in features) feature.SetEdgesFromRange();
            await foreach (var (x, _) in job.StreamAsync(BatchSize, split, shuffleSeed: null, cancellationToken).ConfigureAwait(false))
                FeatureValues.Visit(x, (f, values) => features[f].CountOnly(values));
        }
        return new DataStatistics(samples, features.Select(f => f.Result()).ToArray(), classes?.Result());
    }

    /// <summary>
    /// The statistics of <paramref name="batch"/> with each feature's histogram on the bins of <paramref name="reference"/>'s
    /// feature of the same index (the model's training data), so the two can be compared bin by bin.
    /// </summary>
    public static DataStatistics OfBatchOnBins<X, Y>(Batch<X, Y> batch, DataStatistics reference)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var names = FeatureValues.Names(batch.Inputs);
        var features = names.Select((n, i) => i < reference.Features.Count
            ? new FeatureAccumulator(n, reference.Features[i].Histogram.Counts.Count, (reference.Features[i].Histogram.Low, reference.Features[i].Histogram.High))
            : new FeatureAccumulator(n, Histogram.DefaultBins, (0, 0))).ToArray();
        FeatureValues.Visit(batch.Inputs, (f, values) => features[f].Add(values));
        var classes = ClassCounter.For(batch.Targets);
        classes?.Add(batch.Targets);
        return new DataStatistics(batch.Inputs.Count, features.Select(f => f.Result()).ToArray(), classes?.Result());
    }
}

/// <summary>Counts samples per class (<see cref="ClassData"/>) or per label (<see cref="LabelData"/>).</summary>
internal sealed class ClassCounter
{
    private readonly IReadOnlyList<string> _names;
    private readonly long[] _counts;

    private ClassCounter(IReadOnlyList<string> names)
    {
        _names = names.ToArray();
        _counts = new long[names.Count];
    }

    /// <summary>A counter for the targets' type, or null when they are neither classes nor labels.</summary>
    public static ClassCounter? For<Y>(Y targets) where Y : IArcData<Y> => targets switch
    {
        ClassData classes => new ClassCounter(classes.ClassNames),
        LabelData labels => new ClassCounter(labels.LabelNames),
        _ => null,
    };

    public void Add<Y>(Y targets) where Y : IArcData<Y>
    {
        switch (targets)
        {
            case ClassData classes:
                foreach (long index in classes.IndexSpan)
                    if (index >= 0 && index < _counts.Length) _counts[index]++;
                break;
            case LabelData labels:
                for (int sample = 0; sample < labels.Count; sample++)
                    for (int label = 0; label < _counts.Length; label++)
                        if (labels.Has(sample, label)) _counts[label]++;
                break;
        }
    }

    public ClassCounts Result() => new(_names, _counts.ToArray());
}
