using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>The handler that serves an ISupervisedModel: one call inside the model at a time, tags, disposal.</summary>
public sealed class SupervisedModelHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Names = ["a", "b"];

    /// <summary>Counts calls inside it; Predict waits for the test to release it.</summary>
    private sealed class GatedModel : ISupervisedModel<ImageData, ClassData>, IDisposable
    {
        private int _inside;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Entered;
        public int MostInsideAtOnce;
        public bool Disposed;

        public string Name => "gated";

        public async ValueTask<ClassData> PredictAsync(ImageData x, CancellationToken cancellationToken = default)
        {
            Enter();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
                return new ClassData(new long[x.Count], Names);
            }
            finally { Interlocked.Decrement(ref _inside); }
        }

        public ValueTask<FitResult> FitAsync(ImageData x, ClassData y, CancellationToken cancellationToken = default)
        {
            lock (FitThreads) FitThreads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));
            LastThread = Thread.CurrentThread;
            if (x.Count == 0) throw new ArgumentException("no rows");
            Enter();
            Interlocked.Decrement(ref _inside);
            return ValueTask.FromResult(new FitResult(0.25, x.Count, new Dictionary<string, double> { ["accuracy"] = 1 }));
        }

        public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
        {
            destination.Write([1, 2, 3]);
            return ValueTask.CompletedTask;
        }

        public async ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
        {
            using var copy = new MemoryStream();
            await source.CopyToAsync(copy, cancellationToken);
            LastLoaded = copy.ToArray();
        }

        public byte[]? LastLoaded;

        public List<(int Id, string? Name)> FitThreads { get; } = [];

        public Thread? LastThread;

        public void Dispose() => Disposed = true;

        private void Enter()
        {
            Interlocked.Increment(ref Entered);
            int inside = Interlocked.Increment(ref _inside);
            if (inside > MostInsideAtOnce) MostInsideAtOnce = inside;
        }
    }

    private static ImageData Images(int n) => RemoteTestData.Images(n, 2, 2, seed: n).Images;

    [Fact]
    public async Task Calls_enter_the_model_one_at_a_time_and_a_queued_call_can_be_cancelled()
    {
        var model = new GatedModel();
        var handler = new SupervisedModelHandler<ImageData, ClassData>(model);

        var first = handler.PredictAsync(Images(1), Ct).AsTask();
        var second = handler.PredictAsync(Images(2), Ct).AsTask();
        using var cancel = new CancellationTokenSource();
        var third = handler.FitAsync(Images(3), new ClassData(new long[3], Names), cancel.Token).AsTask();

        // The first call enters the model on the model thread; without the gate the second would enter too.
        await WaitUntilAsync(() => Volatile.Read(ref model.Entered) == 1);
        await Task.Delay(50, Ct);
        Assert.Equal(1, model.Entered);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        Assert.Equal(1, model.Entered);

        model.Release.SetResult();
        Assert.Equal(1, (await first).Count);
        Assert.Equal(2, (await second).Count);
        Assert.Equal((2, 1), (model.Entered, model.MostInsideAtOnce));
    }

    [Fact]
    public async Task Calls_run_on_one_thread_of_the_handlers_own_and_their_exceptions_come_back_unchanged()
    {
        var model = new GatedModel();
        await using var handler = new SupervisedModelHandler<ImageData, ClassData>(model);
        var callers = new int[8];
        await Task.WhenAll(Enumerable.Range(0, callers.Length).Select(i => Task.Run(async () =>
        {
            callers[i] = Environment.CurrentManagedThreadId;
            await handler.FitAsync(Images(2), new ClassData(new long[2], Names), Ct);
        }, Ct)));

        var threads = model.FitThreads.Distinct().ToList();
        Assert.Equal("arc model gated", Assert.Single(threads).Name);
        Assert.DoesNotContain(threads[0].Id, callers);
        var refused = await Assert.ThrowsAsync<ArgumentException>(async () => await handler.FitAsync(Images(0), new ClassData([], Names), Ct));
        Assert.Equal("no rows", refused.Message);
        Assert.Equal(threads[0], model.FitThreads[^1]);
    }

    [Fact]
    public async Task Disposing_ends_the_model_thread_and_leaves_nothing_of_the_model_reachable()
    {
        // Develop mode counts an unloaded version as freed only when nothing refers to it; a model thread still
        // waiting with the last call on its stack kept the model, and so its load context, alive (seen in CI).
        var model = await ServeOneCallAndDisposeAsync();
        // Off the helper's frame: its continuation ran this method inline, and its unoptimized frame keeps its locals.
        await Task.Yield();
        for (int round = 0; round < 3 && model.IsAlive; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(model.IsAlive, "something still refers to the model after its handler was disposed");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> ServeOneCallAndDisposeAsync()
    {
        var model = new GatedModel();
        var handler = new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true);
        await handler.FitAsync(Images(2), new ClassData(new long[2], Names), Ct);
        var thread = model.LastThread!;
        model.LastThread = null;
        await handler.DisposeAsync();
        Assert.True(model.Disposed);
        Assert.False(thread.IsAlive, "the model thread was still running after the handler was disposed");
        return new WeakReference(model);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 10 s");
            await Task.Delay(5, Ct);
        }
    }

    [Fact]
    public async Task Replies_carry_loss_samples_weights_and_wire_tags()
    {
        var model = new GatedModel();
        var handler = new SupervisedModelHandler<ImageData, ClassData>(model);

        Assert.Equal(new FitReply(0.25, 3), await handler.FitAsync(Images(3), new ClassData(new long[3], Names), Ct));
        Assert.Equal(new ModelDescription("gated", "image", "class"), handler.Describe());
        Assert.Equal([1, 2, 3], (await handler.SaveWeightsAsync(Ct)).ToArray());
        var blob = new byte[] { 9, 8, 7, 6, 5 };
        await handler.LoadWeightsAsync(blob.AsMemory(1, 3), Ct);
        Assert.Equal([8, 7, 6], model.LastLoaded);
    }

    [Fact]
    public async Task Disposing_refuses_later_calls_and_frees_the_model_only_when_owned()
    {
        var borrowed = new GatedModel();
        var notOwning = new SupervisedModelHandler<ImageData, ClassData>(borrowed);
        await notOwning.DisposeAsync();
        Assert.False(borrowed.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await notOwning.SaveWeightsAsync(Ct));

        var owned = new GatedModel();
        var owning = new SupervisedModelHandler<ImageData, ClassData>(owned, ownsModel: true);
        await owning.DisposeAsync();
        await owning.DisposeAsync();
        Assert.True(owned.Disposed);
    }
}
