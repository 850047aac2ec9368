using System.Runtime.CompilerServices;
using Arc.Types;

namespace Arc;

/// <summary>
/// Base of a user's supervised job: implement <see cref="LoadSplitAsync"/> to return a whole split as one
/// batch; streaming, shuffling, sampling and evaluation come from here. Mark the class <c>[Job]</c> and <c>partial</c>.
/// </summary>
public abstract class SupervisedJob<X, Y> : ISupervisedJob<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private readonly Dictionary<DataSplit, Task<Batch<X, Y>>> _splits = new();
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public virtual string Name => GetType().Name.ToLowerInvariant();

    /// <summary>Loads one whole split; called at most once per split, the result is kept.</summary>
    protected abstract ValueTask<Batch<X, Y>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken);

    /// <summary>The whole split (loaded once, then cached).</summary>
    public Task<Batch<X, Y>> GetSplitAsync(DataSplit split, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_splits.TryGetValue(split, out var task) || task.IsFaulted || task.IsCanceled)
                _splits[split] = task = LoadSplitAsync(split, cancellationToken).AsTask();
            return task;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Batch<X, Y>> StreamAsync(int batchSize = 64, DataSplit split = DataSplit.Train, int? shuffleSeed = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var (x, y) = await GetSplitAsync(split, cancellationToken).ConfigureAwait(false);
        int n = x.Count;
        int[]? order = null;
        if (shuffleSeed is int seed)
        {
            order = Enumerable.Range(0, n).ToArray();
            new Random(seed).Shuffle(order);
        }
        for (int start = 0; start < n; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, n - start);
            yield return order is null
                ? new Batch<X, Y>(x.Slice(start, count), y.Slice(start, count))
                : new Batch<X, Y>(x.Take(order.AsSpan(start, count)), y.Take(order.AsSpan(start, count)));
        }
    }

    /// <inheritdoc />
    public async ValueTask<Batch<X, Y>> SampleAsync(int count, DataSplit split = DataSplit.Train, int? seed = null, CancellationToken cancellationToken = default)
    {
        var (x, y) = await GetSplitAsync(split, cancellationToken).ConfigureAwait(false);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, x.Count);
        var random = seed is int s ? new Random(s) : Random.Shared;
        var order = Enumerable.Range(0, x.Count).ToArray();
        random.Shuffle(order);
        return new Batch<X, Y>(x.Take(order.AsSpan(0, count)), y.Take(order.AsSpan(0, count)));
    }

    /// <inheritdoc />
    public virtual ValueTask<EvalReport> EvaluateAsync(ISupervisedModel<X, Y> model, DataSplit split = DataSplit.Test, int batchSize = 256, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("evaluation lands with the Arc.Sdk evaluation work");
}
