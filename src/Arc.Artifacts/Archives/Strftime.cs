using System.Globalization;

namespace Arc.Artifacts;

/// <summary>
/// C's <c>strftime</c> (as Python's <c>datetime.strftime</c> applies it) for log file names: seed 004's
/// <c>logNamingFormat</c>, e.g. <c>%Y-%m-%dT%H-%M-%S.log</c>. Directives: <c>%Y %y %m %d %H %I %M %S %f %p %j %a %A
/// %b %B %z %Z %s %%</c>; any other <c>%x</c> is refused (a typo would otherwise name every log the same).
/// </summary>
public static class Strftime
{
    /// <summary>Formats <paramref name="time"/> with <paramref name="format"/>, invariant culture.</summary>
    /// <exception cref="FormatException">The format has a directive this does not know, or ends with '%'.</exception>
    public static string Format(string format, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(format);
        var c = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder(format.Length + 16);
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                text.Append(format[i]);
                continue;
            }
            if (++i == format.Length) throw new FormatException($"'{format}' ends with a lone '%'");
            text.Append(format[i] switch
            {
                'Y' => time.Year.ToString("D4", c),
                'y' => (time.Year % 100).ToString("D2", c),
                'm' => time.Month.ToString("D2", c),
                'd' => time.Day.ToString("D2", c),
                'H' => time.Hour.ToString("D2", c),
                'I' => ((time.Hour + 11) % 12 + 1).ToString("D2", c),
                'M' => time.Minute.ToString("D2", c),
                'S' => time.Second.ToString("D2", c),
                'f' => (time.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", c),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'j' => time.DayOfYear.ToString("D3", c),
                'a' => time.ToString("ddd", c),
                'A' => time.ToString("dddd", c),
                'b' => time.ToString("MMM", c),
                'B' => time.ToString("MMMM", c),
                'z' => (time.Offset < TimeSpan.Zero ? "-" : "+") + time.Offset.Duration().ToString("hhmm", c),
                'Z' => time.Offset == TimeSpan.Zero ? "UTC" : "",
                's' => time.ToUnixTimeSeconds().ToString(c),
                '%' => "%",
                char other => throw new FormatException($"'{format}' has the directive '%{other}', which strftime names do not support here"),
            });
        }
        return text.ToString();
    }
}
