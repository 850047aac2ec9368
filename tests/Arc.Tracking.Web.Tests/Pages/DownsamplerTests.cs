using Xunit;

namespace Arc.Tracking.Web.Tests.Pages;

public sealed class DownsamplerTests
{
    [Fact]
    public void A_100000_point_series_draws_from_at_most_2000_points_with_its_extremes_first_and_last()
    {
        var points = Enumerable.Range(0, 100_000).Select(i => ((long)i, Math.Sin(i / 500.0))).ToArray();
        points[31_337] = (31_337, 50.0); // a spike
        points[77_777] = (77_777, -40.0); // a dip
        var drawn = Downsampler.Reduce(points);
        Assert.InRange(drawn.Count, 1_000, Downsampler.MaxDrawnPoints);
        Assert.Contains((31_337L, 50.0), drawn);
        Assert.Contains((77_777L, -40.0), drawn);
        Assert.Equal(points[0], drawn[0]);
        Assert.Equal(points[^1], drawn[^1]);
        // In step order, so the line is drawn left to right.
        Assert.True(drawn.Zip(drawn.Skip(1)).All(pair => pair.First.Step < pair.Second.Step));
    }

    [Fact]
    public void A_short_series_is_drawn_whole()
    {
        var points = Enumerable.Range(0, 2_000).Select(i => ((long)i, (double)i)).ToArray();
        Assert.Same(points, Downsampler.Reduce(points));
    }

    [Theory]
    [InlineData(2_001)]
    [InlineData(5_003)]
    [InlineData(1_000_000)]
    public void Never_more_than_the_limit(int count)
    {
        var random = new Random(count);
        var points = Enumerable.Range(0, count).Select(i => ((long)i, random.NextDouble())).ToArray();
        var drawn = Downsampler.Reduce(points);
        Assert.True(drawn.Count <= Downsampler.MaxDrawnPoints, $"{drawn.Count} points drawn");
        Assert.Equal(points.Max(p => p.Item2), drawn.Max(p => p.Value));
        Assert.Equal(points.Min(p => p.Item2), drawn.Min(p => p.Value));
    }
}
