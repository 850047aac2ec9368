using System.Text;

namespace Arc.Tracking.Web;

/// <summary>
/// A confusion matrix as a heat map that is also a table: each cell's background darkens with its count (relative to the
/// largest), and the count stays written in it, so screen readers and tests read the numbers the colours stand for.
/// </summary>
internal static class HeatMap
{
    public static string Render(string caption, IReadOnlyList<string> classes, long[,] counts)
    {
        long max = 1;
        foreach (long c in counts) max = Math.Max(max, c);
        var html = new StringBuilder($"<table class=\"heatmap\"><caption>{Html.E(caption)} (rows: truth, columns: predicted)</caption><thead><tr><th scope=\"col\">truth \\ predicted</th>");
        foreach (string name in classes) html.Append($"<th scope=\"col\">{Html.E(name)}</th>");
        html.Append("</tr></thead><tbody>");
        for (int t = 0; t < classes.Count; t++)
        {
            html.Append($"<tr><th scope=\"row\">{Html.E(classes[t])}</th>");
            for (int p = 0; p < classes.Count; p++)
            {
                double share = (double)counts[t, p] / max;
                // Light text on the dark half of the scale keeps the count readable.
                string ink = share > 0.5 ? "#fff" : "#000";
                int shade = (int)Math.Round(255 - share * 200);
                html.Append($"<td class=\"cell\" data-truth=\"{t}\" data-predicted=\"{p}\" style=\"background:rgb({shade},{shade},255);color:{ink}\">{counts[t, p]}</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
