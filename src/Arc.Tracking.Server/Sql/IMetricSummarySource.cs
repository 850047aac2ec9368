namespace Arc.Tracking.Server;

/// <summary>
/// A store that sums up one metric over many experiments in one query, so that a table of thousands of experiments shows
/// each one's best value without reading every series (the web UI's experiment list). Other stores are read per experiment.
/// </summary>
internal interface IMetricSummarySource
{
    /// <summary>
    /// The lowest (<paramref name="highest"/> false) or highest value of metric <paramref name="key"/> of each experiment of
    /// <paramref name="namespace"/> (all namespaces when null) that logged it, by experiment id. NaN points are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, double>> BestMetricValuesAsync(string? @namespace, string key, bool highest, CancellationToken cancellationToken);
}
