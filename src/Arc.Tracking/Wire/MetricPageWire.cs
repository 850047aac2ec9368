namespace Arc.Tracking;

/// <summary>
/// A metric series in pages (<c>ReadMetricPages</c>): the points as three packed columns, at most <see cref="PagePoints"/>
/// per page. Packed columns are what make the series cheap on the wire: no per-point message, no per-point copy of the
/// key, and each column is parsed as one run.
/// </summary>
internal static class MetricPageWire
{
    /// <summary>
    /// Points per page: about 190 KB, small enough that the client decodes one page while the next crosses the
    /// connection, large enough that the per-message cost (a frame, a flush, an await) stays far below the points' own.
    /// </summary>
    public const int PagePoints = 8_192;

    /// <summary>The points <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> as one page.</summary>
    public static MetricPage ToPage(IReadOnlyList<MetricPoint> points, int start, int count)
    {
        var page = new MetricPage();
        page.Steps.Capacity = count;
        page.WallTimesUnixMicros.Capacity = count;
        page.Values.Capacity = count;
        for (int i = start; i < start + count; i++)
        {
            var point = points[i];
            page.Steps.Add(point.Step);
            page.WallTimesUnixMicros.Add(WireTime.ToMicros(point.WallTime));
            page.Values.Add(point.Value);
        }
        return page;
    }

    /// <summary>Appends a page's points of series <paramref name="key"/> to <paramref name="into"/>.</summary>
    /// <exception cref="InvalidDataException">The page's columns differ in length.</exception>
    public static void AddPoints(List<MetricPoint> into, string key, MetricPage page)
    {
        int count = page.Steps.Count;
        if (page.WallTimesUnixMicros.Count != count || page.Values.Count != count)
            throw new InvalidDataException(
                $"a metric page's columns differ in length ({count} steps, {page.WallTimesUnixMicros.Count} wall times, {page.Values.Count} values)");
        into.EnsureCapacity(into.Count + count);
        for (int i = 0; i < count; i++)
            into.Add(new MetricPoint(key, page.Steps[i], WireTime.FromMicros(page.WallTimesUnixMicros[i], "wall_times_unix_micros"), page.Values[i]));
    }
}
