using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>A job over batches held in memory; counts how often each split is loaded and can fail the first loads.</summary>
internal sealed class InMemoryJob<X, Y>(IReadOnlyDictionary<DataSplit, Batch<X, Y>> splits) : SupervisedJob<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private int _loads;

    public int Loads => _loads;

    /// <summary>How many of the first loads throw.</summary>
    public int FailFirstLoads { get; set; }

    public Func<IEvaluator<Y>>? Evaluator { get; set; }

    protected override async ValueTask<Batch<X, Y>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        await Task.Yield();
        int load = Interlocked.Increment(ref _loads);
        if (load <= FailFirstLoads) throw new IOException($"load {load} fails on purpose");
        return splits.TryGetValue(split, out var batch) ? batch : throw new NotSupportedException($"no {split} split");
    }

    protected override IEvaluator<Y> CreateEvaluator() => Evaluator is null ? base.CreateEvaluator() : Evaluator();
}

internal static class InMemoryJob
{
    public static InMemoryJob<ImageData, ClassData> Numbered(int train = 10, int test = 10) => new(new Dictionary<DataSplit, Batch<ImageData, ClassData>>
    {
        [DataSplit.Train] = TestData.Numbered(train),
        [DataSplit.Test] = TestData.Numbered(test),
    });
}
