namespace Arc.Tracking.Web;

/// <summary>One line of a chart: a label (the experiment when comparing), the logged points by step, and where it links.</summary>
internal sealed record ChartSeries(string Label, IReadOnlyList<(long Step, double Value)> Points)
{
    /// <summary>The points from the store, NaN and infinities left out (they have no place on an axis).</summary>
    public static ChartSeries Of(string label, IReadOnlyList<MetricPoint> points)
        => new(label, points.Where(p => double.IsFinite(p.Value)).Select(p => (p.Step, p.Value)).ToArray());
}
