namespace Arc.Tracking;

/// <summary>Settings of a <see cref="TrackingClient"/>: how many points wait, how many go per batch, how long a batch is retried.</summary>
public sealed record TrackingClientOptions
{
    private readonly int _bufferCapacity = 100_000;
    private readonly int _maxBatchPoints = 10_000;
    private readonly TimeSpan _retryFor = TimeSpan.FromMinutes(1);
    private readonly TimeSpan _firstRetryDelay = TimeSpan.FromMilliseconds(50);
    private readonly TimeSpan _maxRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Points that may wait to be sent (default 100,000, about 10 MB). When it is full, <see cref="TrackingClient.LogAsync(string, MetricPoint, CancellationToken)"/>
    /// waits for room: a slow store slows the logger down instead of growing memory.
    /// </summary>
    public int BufferCapacity
    {
        get => _bufferCapacity;
        init => _bufferCapacity = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BufferCapacity), value, "the buffer holds at least one point");
    }

    /// <summary>The most points one batch carries (default 10,000; at most <see cref="MetricBatch.MaxPoints"/>).</summary>
    public int MaxBatchPoints
    {
        get => _maxBatchPoints;
        init => _maxBatchPoints = value is >= 1 and <= MetricBatch.MaxPoints ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxBatchPoints), value, $"a batch carries 1–{MetricBatch.MaxPoints:N0} points");
    }

    /// <summary>How long a batch that failed for a transient reason (the server unreachable, a store busy) is retried before the client gives up (default 1 minute).</summary>
    public TimeSpan RetryFor
    {
        get => _retryFor;
        init => _retryFor = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(RetryFor), value, "the retry period cannot be negative");
    }

    /// <summary>The wait before the first retry (default 50 ms); each later wait doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay
    {
        get => _firstRetryDelay;
        init => _firstRetryDelay = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(FirstRetryDelay), value, "the retry delay must be positive");
    }

    /// <summary>The longest wait between retries (default 2 s).</summary>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        init => _maxRetryDelay = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), value, "the retry delay must be positive");
    }

    /// <summary>Whether disposing the client disposes its store too (default false).</summary>
    public bool OwnsStore { get; init; }
}
