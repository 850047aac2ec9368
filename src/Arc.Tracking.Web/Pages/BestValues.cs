using Arc.Tracking.Server;

namespace Arc.Tracking.Web;

/// <summary>The best value of one metric per experiment: one query on the SQL stores, one read per experiment on others.</summary>
internal static class BestValues
{
    public static async Task<IReadOnlyDictionary<string, double>> ReadAsync(IMetadataStore store, string @namespace, IReadOnlyList<Experiment> experiments,
        string key, bool highest, CancellationToken cancellationToken)
    {
        if (store is IMetricSummarySource summaries)
            return await summaries.BestMetricValuesAsync(@namespace, key, highest, cancellationToken).ConfigureAwait(false);
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var experiment in experiments)
        {
            var values = (await store.ReadMetricAsync(experiment.Id, key, cancellationToken: cancellationToken).ConfigureAwait(false))
                .Where(p => !double.IsNaN(p.Value)).Select(p => p.Value).ToArray();
            if (values.Length > 0) best[experiment.Id] = highest ? values.Max() : values.Min();
        }
        return best;
    }
}
