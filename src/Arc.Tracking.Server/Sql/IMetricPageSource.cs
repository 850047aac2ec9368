namespace Arc.Tracking.Server;

/// <summary>
/// A store that reads a metric series in pages as its rows come, so that the service sends the first page while the
/// store still reads the rest (<c>ReadMetricPages</c>). Other stores are read whole and then cut into pages.
/// </summary>
internal interface IMetricPageSource
{
    /// <summary>
    /// <see cref="IMetadataStore.ReadMetricAsync"/>'s points in the same order, in pages of <paramref name="pagePoints"/>
    /// (the last may be shorter; none for an empty series). The checks and refusals come before the first page.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<MetricPoint>> ReadMetricPagesAsync(string experimentId, string key, long? fromStep, long? toStep, int pagePoints,
        CancellationToken cancellationToken);
}
