using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// One split of a job that is read a piece at a time instead of being held whole: a published dataset reads its
/// rows from its .npy files through one of these. <see cref="SupervisedJob{X, Y}"/> streams, samples, trains
/// and evaluates through a source when <see cref="SupervisedJob{X, Y}.OpenSplitSourceAsync"/> gives one.
/// </summary>
/// <remarks>Implementations must allow concurrent reads: a job may be streamed by several callers at once.</remarks>
public interface ISplitSource<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>Samples in the split (N).</summary>
    int Count { get; }

    /// <summary>Samples <paramref name="start"/> .. <paramref name="start"/>+<paramref name="count"/>-1, inputs paired with targets.</summary>
    ValueTask<Batch<X, Y>> ReadAsync(int start, int count, CancellationToken cancellationToken);

    /// <summary>The samples at <paramref name="indices"/>, in that order (shuffled batches and samples).</summary>
    ValueTask<Batch<X, Y>> TakeAsync(ReadOnlyMemory<int> indices, CancellationToken cancellationToken);
}
