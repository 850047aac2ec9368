using System.Globalization;
using System.Text;

namespace Arc.Tracking.Web;

/// <summary>
/// A line chart drawn on the server as inline SVG: no chart library, no script, a few kilobytes whatever the series'
/// length (each line is downsampled to <see cref="Downsampler.MaxDrawnPoints"/>). Each line carries what it shows as data
/// attributes (points logged and drawn, the last step and value), and a caption says the same in words.
/// </summary>
internal static class SvgLineChart
{
    private const int Width = 640, Height = 240, Left = 56, Right = 12, Top = 12, Bottom = 28;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    public static string Render(string key, IReadOnlyList<ChartSeries> series)
    {
        var drawn = series.Select(s => Downsampler.Reduce(s.Points)).ToArray();
        var all = drawn.SelectMany(d => d).ToArray();
        var html = new StringBuilder();
        string id = "chart-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12].ToLowerInvariant();
        html.Append($"<figure class=\"chart\" data-key=\"{Html.E(key)}\"><figcaption id=\"{id}\">{Html.E(key)}</figcaption>");
        html.Append($"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}\" width=\"{Width}\" height=\"{Height}\">");
        if (all.Length > 0)
        {
            long x0 = all.Min(p => p.Step), x1 = all.Max(p => p.Step);
            double y0 = all.Min(p => p.Value), y1 = all.Max(p => p.Value);
            if (x1 == x0) x1 = x0 + 1;
            if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
            double X(long step) => Left + (double)(step - x0) / (x1 - x0) * (Width - Left - Right);
            double Y(double value) => Top + (y1 - value) / (y1 - y0) * (Height - Top - Bottom);
            html.Append($"<g class=\"axes\"><line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\"/>");
            html.Append($"<text x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">{Short(y1)}</text><text x=\"{Left - 4}\" y=\"{Height - Bottom}\" text-anchor=\"end\">{Short(y0)}</text>");
            html.Append($"<text x=\"{Left}\" y=\"{Height - 8}\">{x0}</text><text x=\"{Width - Right}\" y=\"{Height - 8}\" text-anchor=\"end\">step {x1}</text></g>");
            for (int s = 0; s < series.Count; s++)
            {
                if (drawn[s].Count == 0) continue;
                var last = series[s].Points[^1];
                html.Append($"<polyline class=\"series\" fill=\"none\" stroke=\"{Colors[s % Colors.Length]}\" stroke-width=\"1.5\"")
                    .Append($" data-series=\"{Html.E(series[s].Label)}\" data-logged=\"{series[s].Points.Count}\" data-drawn=\"{drawn[s].Count}\"")
                    .Append($" data-last-step=\"{last.Step}\" data-last-value=\"{Html.Number(last.Value)}\" points=\"");
                foreach (var (step, value) in drawn[s])
                    html.Append(X(step).ToString("0.#", CultureInfo.InvariantCulture)).Append(',').Append(Y(value).ToString("0.#", CultureInfo.InvariantCulture)).Append(' ');
                html.Length--;
                html.Append("\"/>");
            }
        }
        html.Append("</svg><ul class=\"legend\">");
        for (int s = 0; s < series.Count; s++)
        {
            var points = series[s].Points;
            html.Append($"<li><span class=\"swatch\" style=\"background:{Colors[s % Colors.Length]}\"></span>{Html.E(series[s].Label)}: ");
            html.Append(points.Count == 0
                ? "no points"
                : $"{Html.Count(points.Count)} points{(drawn[s].Count < points.Count ? $" ({Html.Count(drawn[s].Count)} drawn)" : "")}, last {Html.Number(points[^1].Value)} at step {points[^1].Step}");
            html.Append("</li>");
        }
        return html.Append("</ul></figure>").ToString();
    }

    private static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
