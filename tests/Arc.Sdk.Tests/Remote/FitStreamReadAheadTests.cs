using System.Runtime.CompilerServices;
using Arc.Remote;
using Arc.Sdk.Tests.Support;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A worker's fit stream decodes the next batch while the current one fits (SupervisedModelHandler.FitStreamAsync),
/// unless the model says collections during its steps are not harmless (<see cref="IStepCollectionSafety"/>); either
/// way batches are fitted in order and the source is never disposed while a read is in flight.
/// </summary>
public sealed class FitStreamReadAheadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_next_batch_is_read_while_the_current_one_fits()
    {
        var source = new CountingSource(batches: 3);
        bool readDuringFirstFit = false;
        var model = new ScriptedModel("m", 10)
        {
            // Runs on the model thread inside fit 1: the second batch must be read meanwhile, without fit 1 ending.
            BeforeFit = fit => { if (fit == 1) readDuringFirstFit = source.WaitUntilRead(2, TimeSpan.FromSeconds(10)); },
        };
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(model);

        var replies = await handler.FitStreamAsync(source, Ct).ToListAsync(Ct);

        Assert.True(readDuringFirstFit, "the second batch was not read while the first one fitted");
        Assert.Equal([4, 4, 4], replies.Select(r => r.Samples));
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], model.FittedBatches);
        Assert.True(source.Disposed);
        Assert.False(source.DisposedWhileReading);
    }

    [Fact]
    public async Task A_model_whose_steps_cannot_take_a_collection_gets_its_next_batch_read_only_after_each_fit()
    {
        var source = new CountingSource(batches: 3);
        var readAtFit = new List<int>();
        var scripted = new ScriptedModel("m", 10) { BeforeFit = _ => readAtFit.Add(source.Read) };
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(new CollectionSensitive(scripted));

        var replies = await handler.FitStreamAsync(source, Ct).ToListAsync(Ct);

        Assert.Equal([1, 2, 3], readAtFit); // batch n + 1 not yet read while batch n fits
        Assert.Equal(3, replies.Count);
    }

    [Fact]
    public async Task A_failing_fit_ends_the_stream_with_its_error_once_the_read_in_flight_is_cancelled()
    {
        // The second read would wait 30 s (a client that sends nothing more until it has a reply): it must be cancelled.
        var source = new CountingSource(batches: 3, secondReadDelay: TimeSpan.FromSeconds(30));
        var model = new ScriptedModel("broken", 10) { FailOnFit = 1 };
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(model);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => handler.FitStreamAsync(source, Ct).ToListAsync(Ct).AsTask());

        Assert.Same(model.FitError, e);
        Assert.True(source.ReadCancelled);              // the second read, in flight when the fit failed, was cancelled
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the stream ended after {clock.Elapsed}, not at the failed fit");
        Assert.Equal(1, source.Read);
        Assert.True(source.Disposed);                   // and the source disposed only after that read ended
        Assert.False(source.DisposedWhileReading);
    }

    [Fact]
    public async Task A_batch_that_does_not_decode_ends_the_stream_after_the_reply_to_the_one_before()
    {
        var source = new CountingSource(batches: 3, failOnRead: 2);
        var model = new ScriptedModel("m", 10);
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(model);
        var replies = new List<FitReply>();

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var reply in handler.FitStreamAsync(source, Ct).WithCancellation(Ct)) replies.Add(reply);
        });

        Assert.Contains("batch 2", e.Message);
        Assert.Single(replies);
        Assert.False(source.DisposedWhileReading);
        Assert.Equal([[0, 1, 2, 3]], model.FittedBatches);
    }

    /// <summary>
    /// Batches of four numbered samples that count how many were read, note whether a read was cancelled, and note
    /// whether the reader was disposed while a read was in flight.
    /// </summary>
    private sealed class CountingSource(int batches, TimeSpan secondReadDelay = default, int failOnRead = 0) : IAsyncEnumerable<(ImageData, ClassData)>
    {
        private readonly Batch<ImageData, ClassData> _all = TestData.Numbered(4 * batches);
        private readonly int _batches = batches;
        private readonly TimeSpan _secondReadDelay = secondReadDelay;
        private readonly int _failOnRead = failOnRead;
        private int _read;
        private int _inFlight;

        public int Read => Volatile.Read(ref _read);
        public bool Disposed { get; private set; }
        public bool DisposedWhileReading { get; private set; }
        public bool ReadCancelled { get; private set; }

        public bool WaitUntilRead(int count, TimeSpan limit) => SpinWait.SpinUntil(() => Read >= count, limit);

        public IAsyncEnumerator<(ImageData, ClassData)> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Reader(this, cancellationToken);

        private sealed class Reader(CountingSource source, CancellationToken cancellationToken) : IAsyncEnumerator<(ImageData, ClassData)>
        {
            private int _next;

            public (ImageData, ClassData) Current { get; private set; }

            public async ValueTask<bool> MoveNextAsync()
            {
                Interlocked.Increment(ref source._inFlight);
                try
                {
                    int n = ++_next;
                    if (n > source._batches) return false;
                    if (n == 2 && source._secondReadDelay > TimeSpan.Zero)
                    {
                        try { await Task.Delay(source._secondReadDelay, cancellationToken); }
                        catch (OperationCanceledException) { source.ReadCancelled = true; throw; }
                    }
                    if (n == source._failOnRead) throw new InvalidDataException($"batch {n} does not decode");
                    Current = (source._all.Inputs.Slice(4 * (n - 1), 4), source._all.Targets.Slice(4 * (n - 1), 4));
                    Interlocked.Increment(ref source._read);
                    return true;
                }
                finally
                {
                    Interlocked.Decrement(ref source._inFlight);
                }
            }

            public ValueTask DisposeAsync()
            {
                source.DisposedWhileReading = Volatile.Read(ref source._inFlight) > 0;
                source.Disposed = true;
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>A model that says a collection during its steps is not harmless, like a torch model on an unmarked TorchSharp.</summary>
    private sealed class CollectionSensitive(ISupervisedModel<ImageData, ClassData> inner) : ISupervisedModel<ImageData, ClassData>, IStepCollectionSafety
    {
        public bool ToleratesCollectionsDuringSteps => false;
        public string Name => inner.Name;
        public ValueTask<FitResult> FitAsync(ImageData x, ClassData y, CancellationToken cancellationToken = default) => inner.FitAsync(x, y, cancellationToken);
        public ValueTask<ClassData> PredictAsync(ImageData x, CancellationToken cancellationToken = default) => inner.PredictAsync(x, cancellationToken);
        public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default) => inner.SaveWeightsAsync(destination, cancellationToken);
        public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default) => inner.LoadWeightsAsync(source, cancellationToken);
    }
}
