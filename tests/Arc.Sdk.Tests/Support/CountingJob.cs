using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>Wraps a job and counts the streams opened and the batches they yielded, per split.</summary>
internal sealed class CountingJob<X, Y>(ISupervisedJob<X, Y> inner) : ISupervisedJob<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private readonly Dictionary<DataSplit, int> _streams = new();
    private readonly Dictionary<DataSplit, int> _batches = new();
    private readonly Lock _gate = new();

    public string Name => inner.Name;

    public int Streams(DataSplit split) { lock (_gate) return _streams.GetValueOrDefault(split); }

    public int Batches(DataSplit split) { lock (_gate) return _batches.GetValueOrDefault(split); }

    public async IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        lock (_gate) _streams[split] = _streams.GetValueOrDefault(split) + 1;
        await foreach (var batch in inner.StreamAsync(batchSize, split, shuffleSeed, cancellationToken))
        {
            lock (_gate) _batches[split] = _batches.GetValueOrDefault(split) + 1;
            yield return batch;
        }
    }

    public ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
        => inner.SampleAsync(count, split, seed, cancellationToken);

    public ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256, CancellationToken cancellationToken = default)
        => inner.EvaluateAsync(model, split, batchSize, cancellationToken);
}
