namespace Arc.Tracking;

/// <summary>
/// Times on the tracking wire: microseconds since the Unix epoch (UTC) in an int64, the precision the stores keep. A
/// number outside what <see cref="DateTimeOffset"/> holds is an <see cref="ArgumentOutOfRangeException"/> (so the service
/// answers InvalidArgument), never an overflow.
/// </summary>
internal static class WireTime
{
    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static long ToMicros(DateTimeOffset time)
        => Math.DivRem(time.UtcTicks - DateTime.UnixEpoch.Ticks, 10, out long rest) - (rest < 0 ? 1 : 0);

    public static DateTimeOffset FromMicros(long micros, string field)
    {
        if (micros < MinMicros || micros > MaxMicros)
            throw new ArgumentOutOfRangeException(field, micros, $"{field} {micros} is outside the years 0001–9999 (microseconds since the Unix epoch)");
        return new DateTimeOffset(DateTime.UnixEpoch.Ticks + micros * 10, TimeSpan.Zero);
    }
}
