using System.Globalization;
using System.Net;
using System.Text;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Interactive;

/// <summary>HTML for Arc's values in a notebook: tables for classes, labels and reports, a heat map for the confusion matrix.</summary>
internal static class HtmlViews
{
    /// <summary>Rows a table shows before it says how many it left out.</summary>
    public const int MaxRows = 20;

    public static string Images(ImageData images)
    {
        var grid = new ImageGrid(images);
        return $"<div><img alt=\"{grid.Count} images\" src=\"data:image/png;base64,{Convert.ToBase64String(grid.Png)}\" />" +
               $"<div>{images.Count}×{images.Channels}×{images.Height}×{images.Width} images{More(images.Count, grid.Count)}</div></div>";
    }

    public static string Grid(ImageGrid grid)
    {
        var html = new StringBuilder($"<div><img alt=\"{grid.Count} images\" src=\"data:image/png;base64,{Convert.ToBase64String(grid.Png)}\" />");
        if (grid.Captions.Count > 0)
            html.Append("<div>").Append(Encode(string.Join(" · ", grid.Captions))).Append("</div>");
        return html.Append("</div>").ToString();
    }

    public static string Classes(ClassData classes)
    {
        var html = new StringBuilder("<table><thead><tr><th>#</th><th>class</th><th>name</th>");
        if (classes.Scores is not null) html.Append("<th>top score</th>");
        html.Append("</tr></thead><tbody>");
        var indices = classes.IndexSpan;
        float[]? scores = classes.Scores?.DType == ArcDType.Float32 ? classes.Scores.ToArray<float>() : null;
        int perRow = classes.Count == 0 ? 0 : classes.ClassNames.Count;
        for (int i = 0; i < Math.Min(classes.Count, MaxRows); i++)
        {
            long index = indices[i];
            string name = index >= 0 && index < classes.ClassNames.Count ? classes.ClassNames[(int)index] : "?";
            html.Append($"<tr><td>{i}</td><td>{index}</td><td>{Encode(name)}</td>");
            if (scores is not null) html.Append($"<td>{Number(scores.Skip(i * perRow).Take(perRow).DefaultIfEmpty().Max())}</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").Append(More(classes.Count, Math.Min(classes.Count, MaxRows))).ToString();
    }

    public static string Labels(LabelData labels)
    {
        var html = new StringBuilder("<table><thead><tr><th>#</th><th>labels</th></tr></thead><tbody>");
        for (int i = 0; i < Math.Min(labels.Count, MaxRows); i++)
        {
            var names = labels.LabelNames.Where((_, l) => labels.Has(i, l));
            html.Append($"<tr><td>{i}</td><td>{Encode(string.Join(", ", names))}</td></tr>");
        }
        return html.Append("</tbody></table>").Append(More(labels.Count, Math.Min(labels.Count, MaxRows))).ToString();
    }

    public static string Report(EvalReport report)
    {
        var html = new StringBuilder($"<div><b>{Encode(report.Model)}</b> on {Encode(report.Job)} ({report.Split}, {report.Samples} samples)");
        html.Append("<table><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>");
        foreach (var (name, value) in report.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            html.Append($"<tr><td>{Encode(name)}</td><td>{Number(value)}</td></tr>");
        html.Append("</tbody></table>");
        if (report.Classification is { } classification) html.Append(Classification(classification));
        return html.Append("</div>").ToString();
    }

    public static string Classification(ClassificationMetrics metrics)
    {
        var html = new StringBuilder("<table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>");
        foreach (var c in metrics.PerClass)
            html.Append($"<tr><td>{Encode(c.Name)}</td><td>{Number(c.Precision)}</td><td>{Number(c.Recall)}</td><td>{Number(c.F1)}</td><td>{c.Support}</td></tr>");
        html.Append("</tbody></table>");
        return html.Append(ConfusionHeatMap(metrics)).ToString();
    }

    /// <summary>The confusion matrix as a table whose cells are shaded by their share of the row (truth).</summary>
    public static string ConfusionHeatMap(ClassificationMetrics metrics)
    {
        var names = metrics.ClassNames;
        var html = new StringBuilder("<table class=\"arc-confusion\"><caption>confusion (rows: truth, columns: predicted)</caption><thead><tr><th></th>");
        foreach (string name in names) html.Append($"<th>{Encode(name)}</th>");
        html.Append("</tr></thead><tbody>");
        for (int truth = 0; truth < names.Count; truth++)
        {
            long rowTotal = Enumerable.Range(0, names.Count).Sum(p => metrics.Confusion(truth, p));
            html.Append($"<tr><th>{Encode(names[truth])}</th>");
            for (int predicted = 0; predicted < names.Count; predicted++)
            {
                long count = metrics.Confusion(truth, predicted);
                double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                // Blue for the diagonal (right), red elsewhere (wrong); stronger for a larger share of the row.
                string hue = truth == predicted ? "33,102,172" : "203,24,29";
                string text = share > 0.5 ? "white" : "black";
                html.Append($"<td style=\"background-color:rgba({hue},{Number(share)});color:{text};text-align:right\">{count}</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public static string Progress(TrainProgress p)
    {
        double done = p.Epochs * p.BatchesPerEpoch == 0 ? 0 : ((p.Epoch - 1) * (double)p.BatchesPerEpoch + p.Batch) / (p.Epochs * (double)p.BatchesPerEpoch);
        return $"<div><b>{Encode(p.Model)}</b> epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.BatchesPerEpoch} " +
               $"<progress max=\"1\" value=\"{Number(done)}\"></progress> loss {Number(p.Loss)} · epoch loss {Number(p.EpochLoss)} · " +
               $"{p.SamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture)} samples/s · {p.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s</div>";
    }

    private static string More(int total, int shown) => total > shown ? $" ({total - shown} more not shown)" : "";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
