using System.Text;

namespace Arc.Tracking.Web;

/// <summary>The experiment's evaluation reports: the metrics, the per-class table and the confusion matrix as a heat map.</summary>
internal static class EvaluationSection
{
    public static async Task<string> RenderAsync(PageRequest request, Experiment experiment, IReadOnlyList<MetricPoint> latest, IReadOnlyList<AttachedFile> files)
    {
        var reports = EvaluationReport.From(latest);
        var html = new StringBuilder("<section aria-labelledby=\"evaluation-title\"><h2 id=\"evaluation-title\">Evaluation</h2>");
        if (reports.Count == 0) return html.Append("<p>Not evaluated.</p></section>").ToString();
        foreach (var report in reports)
        {
            html.Append($"<h3>{Html.E(report.Split)}</h3>");
            html.Append(ExperimentSections.Table($"eval-{Html.E(report.Split)}-metrics", $"{report.Split}: metrics", ["Metric", "Value"],
                report.Metrics.Select(m => new[] { m.Name, Html.Number(m.Value) }), level: 4));
            html.Append(ExperimentSections.Table($"eval-{Html.E(report.Split)}-classes", $"{report.Split}: per class", ["Class", "Precision", "Recall", "F1", "Support"],
                report.Classes.Select(c => new[] { c.Name, Html.Number(c.Precision), Html.Number(c.Recall), Html.Number(c.F1), Html.Number(c.Support) }), level: 4));
            if (report.Confusion is { } matrix)
            {
                var names = await ClassNames.ReadAsync(request.Blobs, report.Split, matrix.GetLength(0), files, request.Aborted).ConfigureAwait(false);
                html.Append(HeatMap.Render($"{report.Split}: confusion matrix", names, matrix));
            }
        }
        return html.Append("</section>").ToString();
    }
}
