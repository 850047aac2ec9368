using System.Text;

namespace Arc.Tracking.Web;

/// <summary>Several experiments side by side: their hyperparameters in one table and each metric's curves overlaid in one chart.</summary>
internal static class ComparePage
{
    public const int MaxExperiments = 8;

    public static async Task RenderAsync(PageRequest request)
    {
        var ids = request.Context.Request.Query["id"].Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length < 2) throw new ArgumentException("select at least two experiments to compare (the check boxes of the experiment table)");
        if (ids.Length > MaxExperiments) throw new ArgumentException($"compare at most {MaxExperiments} experiments at a time (got {ids.Length})");
        var experiments = new List<Experiment>();
        var latest = new List<IReadOnlyList<MetricPoint>>();
        foreach (string id in ids)
        {
            var experiment = await request.Store.GetExperimentAsync(id, request.Aborted).ConfigureAwait(false);
            request.RequireRead(experiment.Namespace);
            experiments.Add(experiment);
        }
        // Oldest first, whatever order the boxes were ticked in: the colours stay with the same runs.
        experiments.Sort((x, y) => x.StartedAt.CompareTo(y.StartedAt));
        foreach (var experiment in experiments)
            latest.Add(await request.Store.ReadLatestMetricsAsync(experiment.Id, request.Aborted).ConfigureAwait(false));

        var body = new StringBuilder("<section aria-labelledby=\"compared-title\"><h2 id=\"compared-title\">Hyperparameters</h2><table id=\"compared\" aria-labelledby=\"compared-title\"><thead><tr><th scope=\"col\">Name</th>");
        foreach (var e in experiments) body.Append($"<th scope=\"col\">{Html.ExperimentLink(e.Id, e.Name)}</th>");
        body.Append("</tr></thead><tbody>");
        foreach (string name in experiments.SelectMany(e => e.Hyperparameters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var values = experiments.Select(e => e.Hyperparameters.TryGetValue(name, out var v) ? v.ToString() : "").ToArray();
            // Rows that differ are what a comparison is for: mark them.
            body.Append($"<tr{(values.Distinct(StringComparer.Ordinal).Count() > 1 ? " class=\"differs\"" : "")}><th scope=\"row\">{Html.E(name)}</th>");
            foreach (string value in values) body.Append($"<td>{Html.E(value)}</td>");
            body.Append("</tr>");
        }
        body.Append("</tbody></table></section><section aria-labelledby=\"compare-charts-title\"><h2 id=\"compare-charts-title\">Metrics</h2>");
        var keys = latest.SelectMany(l => l.Select(p => p.Key)).Where(ExperimentPage.IsTrainingSeries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (string key in keys)
        {
            var series = new List<ChartSeries>();
            for (int i = 0; i < experiments.Count; i++)
                if (latest[i].Any(p => p.Key == key))
                    series.Add(ChartSeries.Of(experiments[i].Name, await request.Store.ReadMetricAsync(experiments[i].Id, key, cancellationToken: request.Aborted).ConfigureAwait(false)));
            body.Append(SvgLineChart.Render(key, series));
        }
        body.Append("</section>");
        await request.PageAsync($"Comparing {experiments.Count} experiments", body.ToString()).ConfigureAwait(false);
    }
}
