using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// What every supervised job offers, wherever it runs: stream batches, sample, and evaluate any model
/// (local or remote) the same way.
/// </summary>
public interface ISupervisedJob<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>The job's registered name.</summary>
    string Name { get; }

    /// <summary>Streams one pass over <paramref name="split"/> in batches of <paramref name="batchSize"/>.</summary>
    /// <param name="batchSize">Samples per batch (the last batch may be smaller).</param>
    /// <param name="split">Which split to read.</param>
    /// <param name="shuffleSeed">Shuffle with this seed; null keeps the stored order.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null, CancellationToken cancellationToken = default);

    /// <summary><paramref name="count"/> random samples of <paramref name="split"/>.</summary>
    ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default);

    /// <summary>Predicts all of <paramref name="split"/> with <paramref name="model"/> and scores it against the truth.</summary>
    ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256, CancellationToken cancellationToken = default);
}
