namespace Arc.Tracking;

/// <summary>What a store did with a <see cref="MetricBatch"/>.</summary>
public enum MetricBatchOutcome
{
    /// <summary>The points were stored now.</summary>
    Stored = 1,

    /// <summary>A batch with the same idempotency key and the same points had been stored before; nothing was added.</summary>
    AlreadyStored = 2,
}
