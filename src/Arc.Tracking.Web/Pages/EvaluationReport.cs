using System.Globalization;

namespace Arc.Tracking.Web;

/// <summary>
/// An evaluation as Arc.Tracking.Recording logs it, read back from the points of one split: <c>eval/&lt;split&gt;/&lt;metric&gt;</c>,
/// <c>eval/&lt;split&gt;/class/&lt;name&gt;/{precision,recall,f1,support}</c> and <c>eval/&lt;split&gt;/confusion/&lt;truth&gt;/&lt;predicted&gt;</c>.
/// </summary>
internal sealed record EvaluationReport(string Split, IReadOnlyList<(string Name, double Value)> Metrics,
    IReadOnlyList<(string Name, double Precision, double Recall, double F1, double Support)> Classes, long[,]? Confusion)
{
    public static readonly string[] ClassColumns = ["precision", "recall", "f1", "support"];

    /// <summary>Every split's report in the experiment's latest points, by split.</summary>
    public static IReadOnlyList<EvaluationReport> From(IEnumerable<MetricPoint> latest)
    {
        var bySplit = latest.Where(p => p.Key.StartsWith("eval/", StringComparison.Ordinal) && p.Key.IndexOf('/', 5) > 5)
            .GroupBy(p => p.Key[5..p.Key.IndexOf('/', 5)], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        return bySplit.Select(split => Read(split.Key, split.ToDictionary(p => p.Key[(6 + split.Key.Length)..], p => p.Value, StringComparer.Ordinal))).ToArray();
    }

    private static EvaluationReport Read(string split, Dictionary<string, double> points)
    {
        var metrics = points.Where(p => !p.Key.Contains('/')).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToArray();
        var classNames = points.Keys.Where(k => k.StartsWith("class/", StringComparison.Ordinal) && k.LastIndexOf('/') > 6)
            .Select(k => k[6..k.LastIndexOf('/')]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var classes = classNames.Select(name => (name, Get(points, $"class/{name}/precision"), Get(points, $"class/{name}/recall"),
            Get(points, $"class/{name}/f1"), Get(points, $"class/{name}/support"))).ToArray();
        var cells = points.Where(p => p.Key.StartsWith("confusion/", StringComparison.Ordinal))
            .Select(p => (Parts: p.Key["confusion/".Length..].Split('/'), p.Value))
            .Where(c => c.Parts.Length == 2 && int.TryParse(c.Parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) && int.TryParse(c.Parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(c => (Truth: int.Parse(c.Parts[0], CultureInfo.InvariantCulture), Predicted: int.Parse(c.Parts[1], CultureInfo.InvariantCulture), c.Value)).ToArray();
        long[,]? confusion = null;
        if (cells.Length > 0)
        {
            int n = Math.Max(cells.Max(c => c.Truth), cells.Max(c => c.Predicted)) + 1;
            confusion = new long[n, n];
            foreach (var (t, p, v) in cells) confusion[t, p] = (long)Math.Round(v);
        }
        return new EvaluationReport(split, metrics, classes, confusion);
    }

    private static double Get(Dictionary<string, double> points, string key) => points.TryGetValue(key, out double v) ? v : double.NaN;
}
