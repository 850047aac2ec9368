using System.Globalization;
using System.Text.Encodings.Web;

namespace Arc.Tracking.Web;

/// <summary>Encoding and formatting for the pages: every text from the store goes through <see cref="E"/>.</summary>
internal static class Html
{
    /// <summary>Text made safe for an element or a quoted attribute.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A path segment or query value.</summary>
    public static string U(string text) => Uri.EscapeDataString(text);

    /// <summary>A number as the pages show it: round-trip precision, invariant culture (tests read it back).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s" : $"{span.TotalSeconds:0.0}s";

    public static string ExperimentLink(string id, string text) => $"<a href=\"/experiments/{U(id)}\">{E(text)}</a>";

    public static string ModelLink(string id, string text) => $"<a href=\"/models/{U(id)}\">{E(text)}</a>";
}
