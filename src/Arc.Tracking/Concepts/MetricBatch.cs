namespace Arc.Tracking;

/// <summary>
/// Points of one experiment written together, in one transaction, under an idempotency key: a store keeps the key with
/// the points, so a batch sent again after a lost acknowledgement is stored once (and a different batch under a key
/// already used is refused rather than silently dropped).
/// </summary>
public sealed record MetricBatch
{
    /// <summary>The most points one batch may hold.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>A batch under a fresh idempotency key; send the same object again to retry it.</summary>
    public MetricBatch(string experimentId, IEnumerable<MetricPoint> points)
        : this(experimentId, Guid.NewGuid().ToString("N"), points)
    {
    }

    /// <summary>A batch under <paramref name="idempotencyKey"/> (1–128 printable ASCII characters without spaces, unique per experiment).</summary>
    public MetricBatch(string experimentId, string idempotencyKey, IEnumerable<MetricPoint> points)
    {
        ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        IdempotencyKey = TrackingNames.Token(idempotencyKey, nameof(idempotencyKey), "idempotency key", 128);
        ArgumentNullException.ThrowIfNull(points);
        MetricPoint[] copy = points.ToArray();
        if (copy.Length is 0 or > MaxPoints)
            throw new ArgumentException($"a metric batch holds 1–{MaxPoints:N0} points, not {copy.Length:N0}", nameof(points));
        if (Array.IndexOf(copy, null) is int at and >= 0)
            throw new ArgumentException($"point {at} of the batch is null", nameof(points));
        Points = copy;
    }

    /// <summary>The experiment the points belong to.</summary>
    public string ExperimentId { get; }

    /// <summary>The key under which the store remembers this batch.</summary>
    public string IdempotencyKey { get; }

    /// <summary>The points, in the order they were logged (a store keeps that order among points of the same step).</summary>
    public IReadOnlyList<MetricPoint> Points { get; }
}
