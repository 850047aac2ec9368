using Arc.Types;

namespace Arc.Sdk;

/// <summary>A split held in memory as one batch (what <see cref="SupervisedJob{X, Y}.LoadSplitAsync"/> returns), read as a source.</summary>
internal sealed class BatchSplitSource<X, Y>(Batch<X, Y> split) : ISplitSource<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    public int Count => split.Inputs.Count;

    public ValueTask<Batch<X, Y>> ReadAsync(int start, int count, CancellationToken cancellationToken)
        => new(new Batch<X, Y>(split.Inputs.Slice(start, count), split.Targets.Slice(start, count)));

    public ValueTask<Batch<X, Y>> TakeAsync(ReadOnlyMemory<int> indices, CancellationToken cancellationToken)
        => new(new Batch<X, Y>(split.Inputs.Take(indices.Span), split.Targets.Take(indices.Span)));
}
