using Xunit;
using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;

namespace Arc.Tracking.Tests.Client;

/// <summary>
/// <see cref="TrackingClient"/> over a real SQLite store: batching in the background, flushing, back-pressure from a
/// bounded buffer, retries that store nothing twice, and a refusal that fails the client instead of being retried.
/// </summary>
public sealed class TrackingClientTests : IAsyncLifetime
{
    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private SqliteMetadataStore _store = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => _store = await SqliteMetadataStore.OpenAsync(Path.Combine(_scratch.FullName, "metadata.db"), Cancel);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        TestScratch.Delete(_scratch);
    }

    private async Task<string> NewExperimentAsync(string name)
        => (await _store.CreateExperimentAsync(new ExperimentDraft("client-tests", name, "tester"), Cancel)).Id;

    [Fact]
    public async Task Points_of_two_experiments_are_stored_in_batches_in_the_order_logged()
    {
        string first = await NewExperimentAsync("first"), second = await NewExperimentAsync("second");
        var client = new TrackingClient(_store, new TrackingClientOptions { MaxBatchPoints = 500 });
        for (int step = 0; step < 5_000; step++)
        {
            await client.LogAsync(first, "loss", step, 1.0 / (step + 1), Cancel);
            await client.LogAsync(second, "loss", 4_999 - step, step, Cancel); // steps going backwards
            if (step % 1_000 == 0) await client.LogAsync(first, "lr", step, double.NaN, Cancel);
        }
        await client.DisposeAsync();

        Assert.Equal(10_005, client.PointsStored);
        Assert.Equal(0, client.PointsAlreadyStored);
        Assert.True(client.BatchesSent >= 21, $"{client.BatchesSent} batches for 10,005 points of at most 500");
        var loss = await _store.ReadMetricAsync(first, "loss", cancellationToken: Cancel);
        Assert.Equal(Enumerable.Range(0, 5_000).Select(s => (long)s), loss.Select(p => p.Step));
        Assert.Equal(Enumerable.Range(0, 5_000).Select(s => 1.0 / (s + 1)), loss.Select(p => p.Value));
        Assert.All(await _store.ReadMetricAsync(first, "lr", cancellationToken: Cancel), p => Assert.True(double.IsNaN(p.Value)));
        var backwards = await _store.ReadMetricAsync(second, "loss", cancellationToken: Cancel);
        Assert.Equal(5_000, backwards.Count);
        Assert.Equal(4_999, backwards[0].Value); // step 0 was logged last, with value 4,999
    }

    [Fact]
    public async Task FlushAsync_returns_once_every_earlier_point_is_stored()
    {
        string experiment = await NewExperimentAsync("flush");
        await using var client = new TrackingClient(_store);
        for (int step = 0; step < 1_234; step++) await client.LogAsync(experiment, "loss", step, step, Cancel);
        await client.FlushAsync(Cancel);
        Assert.Equal(1_234, (await _store.ReadMetricAsync(experiment, "loss", cancellationToken: Cancel)).Count);
        Assert.Equal(1_234, client.PointsStored);
    }

    [Fact]
    public async Task A_retried_batch_whose_acknowledgement_was_lost_is_stored_once()
    {
        string experiment = await NewExperimentAsync("retries");
        // Every third call stores the batch and then fails as if the reply were lost; every other third fails before storing.
        var flaky = new FlakyStore(_store);
        var client = new TrackingClient(flaky, new TrackingClientOptions { MaxBatchPoints = 100, FirstRetryDelay = TimeSpan.FromMilliseconds(1) });
        for (int step = 0; step < 3_000; step++) await client.LogAsync(experiment, "loss", step, step, Cancel);
        await client.DisposeAsync();

        var points = await _store.ReadMetricAsync(experiment, "loss", cancellationToken: Cancel);
        Assert.Equal(Enumerable.Range(0, 3_000).Select(s => (long)s), points.Select(p => p.Step));
        Assert.True(flaky.LostAcknowledgements > 0 && flaky.FailedBeforeStoring > 0, $"{flaky.LostAcknowledgements} lost, {flaky.FailedBeforeStoring} failed");
        Assert.Equal(flaky.LostAcknowledgements + flaky.FailedBeforeStoring, client.Retries);
        Assert.Equal(3_000, client.PointsStored + client.PointsAlreadyStored);
        Assert.True(client.PointsAlreadyStored > 0);
    }

    [Fact]
    public async Task A_full_buffer_makes_the_logger_wait_instead_of_growing()
    {
        string experiment = await NewExperimentAsync("backpressure");
        var gated = new GatedStore(_store);
        const int capacity = 100, maxBatch = 10;
        var client = new TrackingClient(gated, new TrackingClientOptions { BufferCapacity = capacity, MaxBatchPoints = maxBatch });
        // The first point becomes a batch the store holds; only then does the buffer fill.
        await client.LogAsync(experiment, "loss", 0, 0, Cancel);
        await gated.Entered.WaitAsync(Cancel);
        int accepted = 1;
        ValueTask pending = default;
        for (int step = 1; step < 10 * capacity; step++)
        {
            pending = client.LogAsync(experiment, "loss", step, step, Cancel);
            if (!pending.IsCompleted) break;
            accepted++;
        }
        // One point in the held batch, the buffer full behind it, and the next log call waiting.
        Assert.Equal(1 + capacity, accepted);
        await Task.Delay(200, Cancel);
        Assert.False(pending.IsCompleted, "a log call returned while the buffer was full");

        gated.Open();
        await pending;
        await client.DisposeAsync();
        Assert.Equal(accepted + 1, (await _store.ReadMetricAsync(experiment, "loss", cancellationToken: Cancel)).Count);
    }

    [Fact]
    public async Task A_refused_batch_fails_the_client_without_retrying()
    {
        var client = new TrackingClient(_store, new TrackingClientOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(1) });
        await client.LogAsync("nosuchexperiment", "loss", 0, 1.0, Cancel);
        var failure = await Assert.ThrowsAsync<TrackingClientException>(() => client.FlushAsync(Cancel));
        Assert.IsType<TrackingNotFoundException>(failure.InnerException);
        Assert.Contains("nosuchexperiment", failure.Message);
        Assert.Equal(0, client.Retries);
        await Assert.ThrowsAsync<TrackingClientException>(() => client.LogAsync("nosuchexperiment", "loss", 1, 1.0, Cancel).AsTask());
        var atDispose = await Assert.ThrowsAsync<TrackingClientException>(() => client.DisposeAsync().AsTask());
        Assert.Equal(1, atDispose.PointsNotStored);
    }

    [Fact]
    public async Task A_store_that_stays_down_fails_the_client_after_the_retry_period()
    {
        string experiment = await NewExperimentAsync("down");
        var down = new FlakyStore(_store) { AlwaysFail = true };
        var client = new TrackingClient(down, new TrackingClientOptions
        {
            RetryFor = TimeSpan.FromMilliseconds(300),
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        });
        await client.LogAsync(experiment, "loss", 0, 1.0, Cancel);
        var failure = await Assert.ThrowsAsync<TrackingClientException>(() => client.DisposeAsync().AsTask());
        Assert.IsType<IOException>(failure.InnerException);
        Assert.True(client.Retries >= 2, $"{client.Retries} retries");
        Assert.Empty(await _store.ReadMetricAsync(experiment, "loss", cancellationToken: Cancel));
    }

    [Fact]
    public async Task Logging_after_dispose_is_refused()
    {
        string experiment = await NewExperimentAsync("disposed");
        var client = new TrackingClient(_store);
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.LogAsync(experiment, "loss", 0, 1.0, Cancel).AsTask());
    }

    /// <summary>Fails some calls with an <see cref="IOException"/>, half of them after the batch was stored.</summary>
    private sealed class FlakyStore(IMetadataStore inner) : DelegatingMetadataStore(inner)
    {
        private int _calls;
        public bool AlwaysFail { get; init; }
        public int LostAcknowledgements;
        public int FailedBeforeStoring;

        public override async Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default)
        {
            int call = Interlocked.Increment(ref _calls);
            if (AlwaysFail || call % 3 == 1)
            {
                Interlocked.Increment(ref FailedBeforeStoring);
                throw new IOException("connection refused (injected)");
            }
            var outcome = await Inner.LogMetricsAsync(batch, cancellationToken);
            if (call % 3 == 2)
            {
                Interlocked.Increment(ref LostAcknowledgements);
                throw new IOException("connection reset before the reply (injected)");
            }
            return outcome;
        }
    }

    /// <summary>Holds every batch until <see cref="Open"/>.</summary>
    private sealed class GatedStore(IMetadataStore inner) : DelegatingMetadataStore(inner)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the first batch reaches the store.</summary>
        public Task Entered => _entered.Task;

        public void Open() => _gate.TrySetResult();

        public override async Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default)
        {
            _entered.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            return await Inner.LogMetricsAsync(batch, cancellationToken);
        }
    }
}
