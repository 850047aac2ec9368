namespace Arc.Tracking;

/// <summary>
/// A <see cref="TrackingClient"/> could not store points it had accepted: the store refused a batch, or stayed
/// unreachable for <see cref="TrackingClientOptions.RetryFor"/>. The store's own error is the inner exception.
/// </summary>
public sealed class TrackingClientException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public TrackingClientException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The points accepted by <c>LogAsync</c> that are not stored (the failed batch and every point after it).</summary>
    public long PointsNotStored { get; internal set; }
}
