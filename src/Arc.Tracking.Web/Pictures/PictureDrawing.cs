using ScottPlot;

namespace Arc.Tracking.Web;

/// <summary>The PNG drawings themselves (ScottPlot): a metric's curve, and a confusion matrix as a heat map with its counts.</summary>
internal static class PictureDrawing
{
    public const int Width = 800, Height = 450;

    public static byte[] Curve(string experimentName, string key, IReadOnlyList<MetricPoint> points)
    {
        // Drawn from the downsampled series: a 100,000-point curve at 800 pixels shows the same, extremes included.
        var drawn = Downsampler.Reduce(points.Where(p => double.IsFinite(p.Value)).Select(p => (p.Step, p.Value)).ToArray());
        var plot = new Plot();
        if (drawn.Count > 0) plot.Add.ScatterLine(drawn.Select(p => (double)p.Step).ToArray(), drawn.Select(p => p.Value).ToArray());
        plot.Title($"{experimentName}: {key}");
        plot.XLabel("step");
        plot.YLabel(key);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public static byte[] Confusion(string title, IReadOnlyList<string> classes, long[,] counts)
    {
        int n = counts.GetLength(0);
        var values = new double[n, n];
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
                values[t, p] = counts[t, p];
        var plot = new Plot();
        // Heatmap rows run top to bottom: row 0 is the first true class, as on the page.
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        long max = Math.Max(1, counts.Cast<long>().Max());
        if (n <= 20)
            for (int t = 0; t < n; t++)
                for (int p = 0; p < n; p++)
                {
                    var text = plot.Add.Text(counts[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture), p, n - 1 - t);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    // Viridis ends in yellow: dark ink there, light ink on the dark half.
                    text.LabelFontColor = counts[t, p] * 2 > max ? Colors.Black : Colors.White;
                }
        double[] ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, classes.ToArray());
        plot.Axes.Left.SetTicks(ticks.Select(t => n - 1 - t).ToArray(), classes.ToArray());
        plot.Title(title);
        plot.XLabel("predicted");
        plot.YLabel("true");
        return plot.GetImageBytes(Width, Width * 3 / 4, ImageFormat.Png);
    }
}
