using Arc.Sdk.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Jobs;

/// <summary>
/// A job read through a split source is streamed one batch ahead: the next batch is read while the caller works on the
/// one it holds; an error still reaches the caller at the batch it belongs to; a stream left early waits for the read
/// it started and drops its result or error.
/// </summary>
public sealed class ReadAheadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_next_batch_is_read_while_the_caller_holds_the_current_one()
    {
        var source = new GatedSource(12);
        await using var batches = new GatedJob(source).StreamAsync(4, DataSplit.Train, cancellationToken: Ct).GetAsyncEnumerator(Ct);

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([0, 1, 2, 3], TestData.Ids(batches.Current.Inputs));
        // The caller has not asked for batch 2; it is read anyway.
        await source.WaitForReadAsync(2).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([4, 5, 6, 7], TestData.Ids(batches.Current.Inputs));
        Assert.True(await batches.MoveNextAsync());
        Assert.False(await batches.MoveNextAsync());
        Assert.Equal(3, source.Started);
    }

    [Fact]
    public async Task An_error_reaches_the_caller_at_the_batch_that_failed()
    {
        var source = new GatedSource(12) { FailingRead = 2 };
        await using var batches = new GatedJob(source).StreamAsync(4, DataSplit.Train, shuffleSeed: 3, cancellationToken: Ct).GetAsyncEnumerator(Ct);

        Assert.True(await batches.MoveNextAsync());
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await batches.MoveNextAsync());
        Assert.Equal("read 2 failed", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stream_left_early_waits_for_the_read_it_started_and_drops_it(bool readFails)
    {
        var source = new GatedSource(12) { HeldRead = 2, FailingRead = readFails ? 2 : null };
        var batches = new GatedJob(source).StreamAsync(4, DataSplit.Train, cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await batches.MoveNextAsync());
        await source.WaitForReadAsync(2).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var leaving = batches.DisposeAsync().AsTask();
        await Task.Delay(300, Ct);
        Assert.False(leaving.IsCompleted, "the stream ended while a read it started was still running");

        source.ReleaseHeldRead();
        await leaving.WaitAsync(TimeSpan.FromSeconds(10), Ct); // and throws nothing: nobody asked for that batch
        Assert.Equal(2, source.Started);
    }

    private sealed class GatedJob(GatedSource source) : SupervisedJob<ImageData, ClassData>
    {
        protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
            => throw new InvalidOperationException("read through the source");

        protected override ValueTask<ISplitSource<ImageData, ClassData>?> OpenSplitSourceAsync(DataSplit split, CancellationToken cancellationToken)
            => ValueTask.FromResult<ISplitSource<ImageData, ClassData>?>(source);
    }

    /// <summary>Numbered samples; read number <see cref="HeldRead"/> waits to be released, read <see cref="FailingRead"/> throws.</summary>
    private sealed class GatedSource(int count) : ISplitSource<ImageData, ClassData>
    {
        private readonly Batch<ImageData, ClassData> _split = TestData.Numbered(count);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(int Read, TaskCompletionSource Seen)> _waiters = [];
        private int _started;

        public int? HeldRead { get; init; }

        public int? FailingRead { get; init; }

        public int Started => Volatile.Read(ref _started);

        public int Count => _split.Inputs.Count;

        public void ReleaseHeldRead() => _release.TrySetResult();

        /// <summary>Completes once read number <paramref name="read"/> (from 1) has started.</summary>
        public Task WaitForReadAsync(int read)
        {
            lock (_waiters)
            {
                if (_started >= read) return Task.CompletedTask;
                var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((read, seen));
                return seen.Task;
            }
        }

        public ValueTask<Batch<ImageData, ClassData>> ReadAsync(int start, int count, CancellationToken cancellationToken)
            => ReadCoreAsync(() => new Batch<ImageData, ClassData>(_split.Inputs.Slice(start, count), _split.Targets.Slice(start, count)));

        public ValueTask<Batch<ImageData, ClassData>> TakeAsync(ReadOnlyMemory<int> indices, CancellationToken cancellationToken)
            => ReadCoreAsync(() => new Batch<ImageData, ClassData>(_split.Inputs.Take(indices.Span), _split.Targets.Take(indices.Span)));

        private async ValueTask<Batch<ImageData, ClassData>> ReadCoreAsync(Func<Batch<ImageData, ClassData>> read)
        {
            int number;
            lock (_waiters)
            {
                number = ++_started;
                foreach (var waiter in _waiters.Where(w => w.Read <= number)) waiter.Seen.TrySetResult();
            }
            if (number == HeldRead) await _release.Task;
            if (number == FailingRead) throw new InvalidDataException($"read {number} failed");
            return read();
        }
    }
}
