using ScottPlot;

namespace Arc.CommandLine;

/// <summary>
/// PNG plots in <c>plots/</c> at the end of a run (ScottPlot): <c>loss.png</c> (loss per step), <c>metrics.png</c>
/// (each evaluation metric per epoch) and, for a classifier, <c>confusion.png</c> (the last evaluation's confusion matrix).
/// A resumed run plots what it trained itself plus what metrics.jsonl holds from before.
/// </summary>
internal sealed class PlotsHandler(string folder, string metricsFile) : IOutputHandler
{
    private const int Width = 900;
    private const int Height = 540;
    private Arc.Sdk.ClassificationMetrics? _confusion;

    public void OnRunStarted(RunStarted e)
    {
    }

    public void OnStep(StepCompleted e)
    {
    }

    public void OnEpoch(EpochCompleted e)
    {
    }

    public void OnEvaluated(Evaluated e) => _confusion = e.Report.Classification ?? _confusion;

    public void OnLog(LogMessage e)
    {
    }

    public Task OnRunEndedAsync(RunEnded e)
    {
        Directory.CreateDirectory(folder);
        var (steps, epochs) = MetricsFile.Read(metricsFile);
        if (steps.Count > 0)
        {
            var plot = new Plot();
            plot.Add.ScatterLine(steps.Select(s => (double)s.Step).ToArray(), steps.Select(s => s.Loss).ToArray());
            plot.Title("Training loss per step");
            plot.XLabel("step");
            plot.YLabel("loss");
            plot.SavePng(Path.Combine(folder, "loss.png"), Width, Height);
        }
        if (epochs.Count > 0)
        {
            var plot = new Plot();
            var x = epochs.Select(p => (double)p.Epoch).ToArray();
            var meanLoss = plot.Add.Scatter(x, epochs.Select(p => p.MeanLoss).ToArray());
            meanLoss.LegendText = "mean training loss";
            foreach (var name in epochs.SelectMany(p => p.Metrics.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                var points = epochs.Where(p => p.Metrics.ContainsKey(name)).ToList();
                var line = plot.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => p.Metrics[name]).ToArray());
                line.LegendText = name;
            }
            plot.ShowLegend();
            plot.Title("Per epoch");
            plot.XLabel("epoch");
            plot.SavePng(Path.Combine(folder, "metrics.png"), Width, Height);
        }
        if (_confusion is { } c)
            ConfusionPlot(c).SavePng(Path.Combine(folder, "confusion.png"), Width, Width);
        return Task.CompletedTask;
    }

    private static Plot ConfusionPlot(Arc.Sdk.ClassificationMetrics metrics)
    {
        int n = metrics.ClassNames.Count;
        // Heatmap rows run top to bottom: row 0 is the first true class, as in the printed matrix.
        var values = new double[n, n];
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
                values[t, p] = metrics.Confusion(t, p);
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        double[] ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        string[] labels = metrics.ClassNames.ToArray();
        plot.Axes.Bottom.SetTicks(ticks, labels);
        plot.Axes.Left.SetTicks(ticks.Select(t => (double)(n - 1 - t)).ToArray(), labels);
        plot.Title("Confusion matrix (rows: true class, columns: predicted)");
        plot.XLabel("predicted");
        plot.YLabel("true");
        return plot;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
