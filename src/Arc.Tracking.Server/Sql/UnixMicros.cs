namespace Arc.Tracking.Server;

/// <summary>
/// Times as stores keep them: microseconds since the Unix epoch in a 64-bit integer, the same in SQLite and PostgreSQL
/// (and the precision of PostgreSQL's own timestamps and of Python's datetime), so both stores return the same instant.
/// </summary>
internal static class UnixMicros
{
    public static long From(DateTimeOffset time) => Math.DivRem(time.UtcTicks - DateTime.UnixEpoch.Ticks, 10, out long rest) - (rest < 0 ? 1 : 0);

    public static DateTimeOffset ToTime(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, TimeSpan.Zero);

    /// <summary><paramref name="time"/> cut to what a store keeps.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => ToTime(From(time));
}
