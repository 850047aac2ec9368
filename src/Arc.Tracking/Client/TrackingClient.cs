using System.Diagnostics;
using System.Threading.Channels;

namespace Arc.Tracking;

/// <summary>
/// Logs metric points to any <see cref="IMetadataStore"/> — the embedded SQLite store, PostgreSQL, or a tracking server
/// through <see cref="TrackingServerClient"/> — without making the caller wait for the store. Points go into a bounded
/// buffer and a background task sends them as <see cref="MetricBatch"/>es: all the points waiting when the previous
/// batch finished, up to <see cref="TrackingClientOptions.MaxBatchPoints"/>, so batches grow by themselves when the
/// store is slower than the logger.
/// </summary>
/// <remarks>
/// <para><b>Back-pressure.</b> The buffer holds <see cref="TrackingClientOptions.BufferCapacity"/> points; when it is full,
/// <see cref="LogAsync(string, MetricPoint, CancellationToken)"/> waits for room, so memory stays bounded.</para>
/// <para><b>Nothing twice.</b> A batch that fails for a transient reason (the server unreachable or restarting, a store
/// busy) is sent again as the same <see cref="MetricBatch"/>, under the same idempotency key, until it is acknowledged
/// or <see cref="TrackingClientOptions.RetryFor"/> has passed. A retry of a batch whose first attempt was stored but whose
/// acknowledgement was lost comes back <see cref="MetricBatchOutcome.AlreadyStored"/> and adds nothing.</para>
/// <para><b>Failures.</b> A refusal (<see cref="TrackingException"/>, <see cref="ArgumentException"/>) or retries running
/// out make the client fail: the next <c>LogAsync</c>, <see cref="FlushAsync"/> or <see cref="DisposeAsync"/> throws a
/// <see cref="TrackingClientException"/> with the store's error inside, and later points are not sent.</para>
/// <para><see cref="DisposeAsync"/> sends every point logged before it. Points of one series are stored in the order logged.</para>
/// </remarks>
public sealed class TrackingClient : IAsyncDisposable
{
    private readonly Channel<Entry> _buffer;
    private readonly Task _sender;
    private volatile TrackingClientException? _failure;
    private long _pointsStored, _pointsAlreadyStored, _batchesSent, _retries;
    private int _disposed;

    /// <summary>A client sending points to <paramref name="store"/> with <paramref name="options"/> (defaults when null).</summary>
    public TrackingClient(IMetadataStore store, TrackingClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Options = options ?? new TrackingClientOptions();
        _buffer = Channel.CreateBounded<Entry>(new BoundedChannelOptions(Options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _sender = Task.Run(SendAllAsync);
    }

    /// <summary>The store points go to; use it directly for everything but metric points (experiments, checkpoints, models…).</summary>
    public IMetadataStore Store { get; }

    /// <summary>The settings.</summary>
    public TrackingClientOptions Options { get; }

    /// <summary>Points the store acknowledged as stored now.</summary>
    public long PointsStored => Interlocked.Read(ref _pointsStored);

    /// <summary>Points of retried batches the store had already stored (their first attempt committed, its acknowledgement was lost).</summary>
    public long PointsAlreadyStored => Interlocked.Read(ref _pointsAlreadyStored);

    /// <summary>Batches acknowledged by the store.</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>Attempts that failed for a transient reason and were retried.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Logs <paramref name="point"/> to experiment <paramref name="experimentId"/>; waits only while the buffer is full.</summary>
    /// <exception cref="TrackingClientException">An earlier batch could not be stored.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public ValueTask LogAsync(string experimentId, MetricPoint point, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        ArgumentNullException.ThrowIfNull(point);
        ThrowIfFailedOrDisposed();
        var entry = new Entry(experimentId, point, null);
        return _buffer.Writer.TryWrite(entry) ? ValueTask.CompletedTask : WaitAndWriteAsync(entry, cancellationToken);
    }

    /// <summary>Logs <paramref name="value"/> of series <paramref name="key"/> at <paramref name="step"/>, measured now.</summary>
    /// <exception cref="TrackingClientException">An earlier batch could not be stored.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public ValueTask LogAsync(string experimentId, string key, long step, double value, CancellationToken cancellationToken = default)
        => LogAsync(experimentId, new MetricPoint(key, step, DateTimeOffset.UtcNow, value), cancellationToken);

    /// <summary>Completes when every point logged before the call is stored.</summary>
    /// <exception cref="TrackingClientException">A batch could not be stored.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFailedOrDisposed();
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = new Entry(null, null, flushed);
        if (!_buffer.Writer.TryWrite(entry)) await WaitAndWriteAsync(entry, cancellationToken).ConfigureAwait(false);
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends every point logged before, then stops (and disposes the store when <see cref="TrackingClientOptions.OwnsStore"/>).
    /// </summary>
    /// <exception cref="TrackingClientException">Some points could not be stored.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _buffer.Writer.TryComplete();
        try
        {
            await _sender.ConfigureAwait(false);
        }
        finally
        {
            if (Options.OwnsStore) await Store.DisposeAsync().ConfigureAwait(false);
        }
        ThrowIfFailed();
    }

    private async ValueTask WaitAndWriteAsync(Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _buffer.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(TrackingClient), "the tracking client was disposed; points logged after that are not sent");
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure) throw failure;
    }

    private void ThrowIfFailedOrDisposed()
    {
        ThrowIfFailed();
        if (Volatile.Read(ref _disposed) == 1)
            throw new ObjectDisposedException(nameof(TrackingClient), "the tracking client was disposed; points logged after that are not sent");
    }

    /// <summary>
    /// The background task: takes what the buffer holds (up to a batch; a flush ends a batch early so that it completes
    /// after exactly the points before it), sends it, and repeats until the buffer is completed and empty.
    /// </summary>
    private async Task SendAllAsync()
    {
        var reader = _buffer.Reader;
        var points = new List<(string ExperimentId, MetricPoint Point)>(Options.MaxBatchPoints);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            TaskCompletionSource? flush = null;
            while (points.Count < Options.MaxBatchPoints && reader.TryRead(out var entry))
            {
                if (entry.Flushed is not null)
                {
                    flush = entry.Flushed;
                    break;
                }
                points.Add((entry.ExperimentId!, entry.Point!));
            }
            if (points.Count > 0)
            {
                if (_failure is null) await SendAsync(points).ConfigureAwait(false);
                else _failure.PointsNotStored += points.Count;
                points.Clear();
            }
            if (flush is not null)
            {
                if (_failure is { } failure) flush.TrySetException(failure);
                else flush.TrySetResult();
            }
        }
    }

    /// <summary>Sends the points as one batch per experiment (in the order each experiment's points were logged).</summary>
    private async Task SendAsync(List<(string ExperimentId, MetricPoint Point)> points)
    {
        foreach (var group in points.GroupBy(p => p.ExperimentId, StringComparer.Ordinal))
        {
            var batch = new MetricBatch(group.Key, group.Select(p => p.Point));
            if (_failure is not null)
            {
                _failure.PointsNotStored += batch.Points.Count;
                continue;
            }
            try
            {
                await SendWithRetriesAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _failure = new TrackingClientException(
                    $"a batch of {batch.Points.Count:N0} points for experiment {batch.ExperimentId} could not be stored: {e.Message}", e)
                {
                    PointsNotStored = batch.Points.Count,
                };
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="batch"/> until the store acknowledges it. Retries resend the same object, so the store sees
    /// the same idempotency key and stores the points once however many attempts reach it.
    /// </summary>
    private async Task SendWithRetriesAsync(MetricBatch batch)
    {
        var clock = Stopwatch.StartNew();
        var delay = Options.FirstRetryDelay;
        while (true)
        {
            try
            {
                var outcome = await Store.LogMetricsAsync(batch).ConfigureAwait(false);
                Interlocked.Add(ref outcome == MetricBatchOutcome.Stored ? ref _pointsStored : ref _pointsAlreadyStored, batch.Points.Count);
                Interlocked.Increment(ref _batchesSent);
                return;
            }
            catch (Exception e) when (IsTransient(e) && clock.Elapsed + delay <= Options.RetryFor)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Options.MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Whether trying again may succeed: anything but a refusal of the batch itself (a store's typed error, a malformed
    /// argument) or the store being disposed. Transport errors, a server restarting and a busy database are transient.
    /// </summary>
    private static bool IsTransient(Exception e) => e is not (TrackingException or ArgumentException or ObjectDisposedException);

    /// <summary>A point for an experiment, or a flush marker.</summary>
    private readonly record struct Entry(string? ExperimentId, MetricPoint? Point, TaskCompletionSource? Flushed);
}
