namespace Arc.Tracking;

/// <summary>
/// One point of a metric series: the value of <see cref="Key"/> at training step <see cref="Step"/>, measured at
/// <see cref="WallTime"/>. Any double is a value, NaN and ±infinity included (a diverged loss is a fact worth keeping),
/// and steps may go backwards (a run resumed from an earlier checkpoint logs the same steps again).
/// </summary>
public sealed record MetricPoint
{
    /// <summary>A point of series <paramref name="key"/> (see <see cref="TrackingNames.Key"/>).</summary>
    public MetricPoint(string key, long step, DateTimeOffset wallTime, double value)
    {
        Key = TrackingNames.Key(key, nameof(key), "metric key");
        Step = step;
        WallTime = wallTime;
        Value = value;
    }

    /// <summary>The series this point belongs to (<c>loss</c>, <c>train/accuracy</c>…).</summary>
    public string Key { get; }

    /// <summary>The training step (any long; not necessarily increasing).</summary>
    public long Step { get; }

    /// <summary>When it was measured. Stores keep it to the microsecond.</summary>
    public DateTimeOffset WallTime { get; }

    /// <summary>The value, NaN and ±infinity included.</summary>
    public double Value { get; }
}
