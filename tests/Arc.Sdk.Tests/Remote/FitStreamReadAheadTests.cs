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

        var replies = await handler.FitStreamAsync(source.ReadAsync(Ct), Ct).ToListAsync(Ct);

        Assert.True(readDuringFirstFit, "the second batch was not read while the first one fitted");
        Assert.Equal([4, 4, 4], replies.Select(r => r.Samples));
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], model.FittedBatches);
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task A_model_whose_steps_cannot_take_a_collection_gets_its_next_batch_read_only_after_each_fit()
    {
        var source = new CountingSource(batches: 3);
        var readAtFit = new List<int>();
        var scripted = new ScriptedModel("m", 10) { BeforeFit = _ => readAtFit.Add(source.Read) };
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(new CollectionSensitive(scripted));

        var replies = await handler.FitStreamAsync(source.ReadAsync(Ct), Ct).ToListAsync(Ct);

        Assert.Equal([1, 2, 3], readAtFit); // batch n + 1 not yet read while batch n fits
        Assert.Equal(3, replies.Count);
    }

    [Fact]
    public async Task A_failing_fit_ends_the_stream_with_its_error_after_the_read_in_flight_finishes()
    {
        var source = new CountingSource(batches: 3, secondReadDelay: TimeSpan.FromMilliseconds(300));
        var model = new ScriptedModel("broken", 10) { FailOnFit = 1 };
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(model);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => handler.FitStreamAsync(source.ReadAsync(Ct), Ct).ToListAsync(Ct).AsTask());

        Assert.Same(model.FitError, e);
        Assert.Equal(2, source.Read);   // the second read, in flight when the fit failed, was let finish
        Assert.True(source.Disposed);   // and only then was the source disposed
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
            await foreach (var reply in handler.FitStreamAsync(source.ReadAsync(Ct), Ct).WithCancellation(Ct)) replies.Add(reply);
        });

        Assert.Contains("batch 2", e.Message);
        Assert.Single(replies);
        Assert.Equal([[0, 1, 2, 3]], model.FittedBatches);
    }

    /// <summary>Batches of four numbered samples that count how many were read and note how they were disposed.</summary>
    private sealed class CountingSource(int batches, TimeSpan secondReadDelay = default, int failOnRead = 0)
    {
        private int _read;
        private volatile bool _reading;

        public int Read => Volatile.Read(ref _read);
        public bool Disposed { get; private set; }
        public bool DisposedWhileReading { get; private set; }

        public bool WaitUntilRead(int count, TimeSpan limit)
            => SpinWait.SpinUntil(() => Read >= count, limit);

        public async IAsyncEnumerable<(ImageData, ClassData)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var all = TestData.Numbered(4 * batches);
            try
            {
                for (int n = 1; n <= batches; n++)
                {
                    _reading = true;
                    if (n == 2 && secondReadDelay > TimeSpan.Zero) await Task.Delay(secondReadDelay, cancellationToken);
                    _reading = false;
                    if (n == failOnRead) throw new InvalidDataException($"batch {n} does not decode");
                    Interlocked.Increment(ref _read);
                    yield return (all.Inputs.Slice(4 * (n - 1), 4), all.Targets.Slice(4 * (n - 1), 4));
                }
            }
            finally
            {
                DisposedWhileReading = _reading;
                Disposed = true;
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
