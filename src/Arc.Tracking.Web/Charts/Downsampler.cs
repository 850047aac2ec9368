namespace Arc.Tracking.Web;

/// <summary>
/// Cuts a long series to at most a given number of points for drawing, keeping its shape: the first and last points, and
/// in each of equal buckets of the rest its lowest and highest point in step order. A spike or a dip survives (the
/// series' extremes are always drawn), which averaging or taking every n-th point would lose.
/// </summary>
internal static class Downsampler
{
    /// <summary>The most points a chart draws of one series.</summary>
    public const int MaxDrawnPoints = 2_000;

    public static IReadOnlyList<(long Step, double Value)> Reduce(IReadOnlyList<(long Step, double Value)> points, int maxPoints = MaxDrawnPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        if (points.Count <= maxPoints) return points;
        int interior = points.Count - 2;
        int buckets = (maxPoints - 2) / 2;
        var drawn = new List<(long, double)>(maxPoints) { points[0] };
        for (int b = 0; b < buckets; b++)
        {
            int from = 1 + (int)((long)interior * b / buckets), to = 1 + (int)((long)interior * (b + 1) / buckets);
            if (from >= to) continue;
            int low = from, high = from;
            for (int i = from + 1; i < to; i++)
            {
                // NaN compares false both ways, so a NaN point is never chosen over a number.
                if (points[i].Value < points[low].Value || double.IsNaN(points[low].Value)) low = i;
                if (points[i].Value > points[high].Value || double.IsNaN(points[high].Value)) high = i;
            }
            if (low == high) drawn.Add(points[low]);
            else if (low < high) { drawn.Add(points[low]); drawn.Add(points[high]); }
            else { drawn.Add(points[high]); drawn.Add(points[low]); }
        }
        drawn.Add(points[^1]);
        return drawn;
    }
}
