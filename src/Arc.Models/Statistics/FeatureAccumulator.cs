namespace Arc.Models;

/// <summary>
/// Accumulates one feature's values: count, sum, sum of squares, minimum and maximum, and — when its bin edges are
/// known — a histogram. A training split is summarised in two passes (the first finds the range the histogram spans);
/// a job's data in one, on the edges of the model it is compared with.
/// </summary>
internal sealed class FeatureAccumulator(string name, int bins, (double Low, double High)? edges)
{
    private long _count;
    private double _sum, _sumSquares;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private readonly long[] _counts = new long[bins];
    private long _below, _above;
    private (double Low, double High)? _edges = edges;

    public string Name => name;

    /// <summary>Whether a histogram is being counted (the edges are known).</summary>
    public bool Counting => _edges is not null;

    /// <summary>Adds values to the moments and, once edges are set, to the histogram.</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        double sum = 0, squares = 0, min = _min, max = _max;
        foreach (double v in values)
        {
            sum += v;
            squares += v * v;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        _count += values.Length;
        _sum += sum;
        _sumSquares += squares;
        (_min, _max) = (min, max);
        if (_edges is { } e) Count(values, e.Low, e.High);
    }

    /// <summary>Adds values to the histogram only (the second pass over a training split).</summary>
    public void CountOnly(ReadOnlySpan<double> values)
    {
        var (low, high) = _edges ?? throw new InvalidOperationException("the histogram's edges are not set");
        Count(values, low, high);
    }

    /// <summary>Starts the histogram over the range the first pass saw.</summary>
    public void SetEdgesFromRange() => _edges = _count == 0 ? (0, 0) : (_min, _max);

    public FeatureStatistics Result()
    {
        double mean = _count == 0 ? 0 : _sum / _count;
        double variance = _count == 0 ? 0 : Math.Max(0, _sumSquares / _count - mean * mean);
        var (low, high) = _edges ?? (0, 0);
        return new FeatureStatistics(name, _count, mean, Math.Sqrt(variance), _count == 0 ? 0 : _min, _count == 0 ? 0 : _max,
            new Histogram(low, high, _below, _counts.ToArray(), _above));
    }

    private void Count(ReadOnlySpan<double> values, double low, double high)
    {
        int bins = _counts.Length;
        foreach (double v in values)
        {
            int bin = Histogram.BinOf(v, low, high, bins);
            if (bin < 0) _below++;
            else if (bin >= bins) _above++;
            else _counts[bin]++;
        }
    }
}
