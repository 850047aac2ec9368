using System.Text;

namespace Arc.Tracking.Web;

/// <summary>
/// One experiment: what it is, its hyperparameters and environment, its metric charts (live while it runs), checkpoints,
/// evaluation reports and files, with the PNG pictures among them.
/// </summary>
internal static class ExperimentPage
{
    public static async Task RenderAsync(PageRequest request)
    {
        var experiment = await request.Store.GetExperimentAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireRead(experiment.Namespace);
        var latest = await request.Store.ReadLatestMetricsAsync(experiment.Id, request.Aborted).ConfigureAwait(false);
        var checkpoints = await request.Store.ListCheckpointsAsync(experiment.Id, request.Aborted).ConfigureAwait(false);
        var files = await request.Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), request.Aborted).ConfigureAwait(false);

        var body = new StringBuilder();
        body.Append(ExperimentSections.Summary(experiment));
        body.Append(ExperimentSections.Hyperparameters(experiment));
        body.Append(ExperimentSections.Environment(experiment));
        string live = experiment.Status == ExperimentStatus.Running ? $" data-live=\"/experiments/{Html.U(experiment.Id)}/live\" data-refresh=\"/experiments/{Html.U(experiment.Id)}/charts\"" : "";
        body.Append($"<section aria-labelledby=\"charts-title\"><h2 id=\"charts-title\">Metrics</h2><div id=\"charts\" aria-live=\"polite\"{live}>");
        body.Append(await ChartsAsync(request, experiment, latest).ConfigureAwait(false));
        body.Append("</div></section>");
        body.Append(ExperimentSections.Checkpoints(checkpoints));
        body.Append(await EvaluationSection.RenderAsync(request, experiment, latest, files).ConfigureAwait(false));
        body.Append(ExperimentSections.Files(request, experiment, files));
        await request.PageAsync($"Experiment {experiment.Name}", body.ToString()).ConfigureAwait(false);
    }

    /// <summary>The charts alone: what a live page fetches again when the experiment logged more points.</summary>
    public static async Task ChartsAsync(PageRequest request)
    {
        var experiment = await request.Store.GetExperimentAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireRead(experiment.Namespace);
        var latest = await request.Store.ReadLatestMetricsAsync(experiment.Id, request.Aborted).ConfigureAwait(false);
        string html = await ChartsAsync(request, experiment, latest).ConfigureAwait(false);
        request.Context.Response.ContentType = "text/html; charset=utf-8";
        request.Context.Response.Headers.CacheControl = "no-store";
        await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(request.Context.Response, html, request.Aborted).ConfigureAwait(false);
    }

    /// <summary>The training series (the evaluation's points have their own section), one chart per key.</summary>
    public static bool IsTrainingSeries(string key) => !key.StartsWith("eval/", StringComparison.Ordinal);

    private static async Task<string> ChartsAsync(PageRequest request, Experiment experiment, IReadOnlyList<MetricPoint> latest)
    {
        var keys = latest.Select(p => p.Key).Where(IsTrainingSeries).Order(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0) return "<p>No metric logged yet.</p>";
        var html = new StringBuilder();
        foreach (string key in keys)
        {
            var points = await request.Store.ReadMetricAsync(experiment.Id, key, cancellationToken: request.Aborted).ConfigureAwait(false);
            html.Append(SvgLineChart.Render(key, [ChartSeries.Of(experiment.Name, points)]));
        }
        return html.ToString();
    }
}
