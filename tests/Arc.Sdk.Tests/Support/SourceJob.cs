using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>
/// A job whose splits are read through an <see cref="ISplitSource{X, Y}"/> that counts its reads; loading a whole split
/// fails, so a test sees at once when something loaded it instead of reading through the source.
/// </summary>
internal sealed class SourceJob(Batch<ImageData, ClassData> train, Batch<ImageData, ClassData> test) : SupervisedJob<ImageData, ClassData>
{
    private readonly CountingSource _train = new(train), _test = new(test);

    public int Reads => _train.Reads + _test.Reads;

    public int LargestRead => Math.Max(_train.LargestRead, _test.LargestRead);

    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
        => throw new InvalidOperationException("a job with split sources must not load a whole split");

    protected override ValueTask<ISplitSource<ImageData, ClassData>?> OpenSplitSourceAsync(DataSplit split, CancellationToken cancellationToken)
        => ValueTask.FromResult<ISplitSource<ImageData, ClassData>?>(split switch
        {
            DataSplit.Train => _train,
            DataSplit.Test => _test,
            _ => throw new NotSupportedException($"no {split} split"),
        });

    private sealed class CountingSource(Batch<ImageData, ClassData> split) : ISplitSource<ImageData, ClassData>
    {
        private int _reads, _largest;

        public int Reads => _reads;

        public int LargestRead => _largest;

        public int Count => split.Inputs.Count;

        public ValueTask<Batch<ImageData, ClassData>> ReadAsync(int start, int count, CancellationToken cancellationToken)
        {
            Note(count);
            return new(new Batch<ImageData, ClassData>(split.Inputs.Slice(start, count), split.Targets.Slice(start, count)));
        }

        public ValueTask<Batch<ImageData, ClassData>> TakeAsync(ReadOnlyMemory<int> indices, CancellationToken cancellationToken)
        {
            Note(indices.Length);
            return new(new Batch<ImageData, ClassData>(split.Inputs.Take(indices.Span), split.Targets.Take(indices.Span)));
        }

        private void Note(int count)
        {
            Interlocked.Increment(ref _reads);
            int seen;
            do seen = _largest; while (count > seen && Interlocked.CompareExchange(ref _largest, count, seen) != seen);
        }
    }
}
