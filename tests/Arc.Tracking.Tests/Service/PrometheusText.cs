using System.Globalization;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// A reader of Prometheus' text exposition format (version 0.0.4), enough to check a scrape: every sample line
/// <c>name{label="value",…} number</c> parsed strictly, <c># TYPE</c> lines collected, anything else a failure.
/// </summary>
internal sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4) throw new FormatException($"malformed TYPE line: {line}");
                parsed.Types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#')) throw new FormatException($"unknown comment line: {line}");
            int space = line.LastIndexOf(' ');
            if (space <= 0) throw new FormatException($"sample line without a value: {line}");
            string series = line[..space];
            double value = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            parsed._samples.Add(Canonical(series), value);
        }
        return parsed;
    }

    /// <summary>The value of <paramref name="name"/> with exactly <paramref name="labels"/>; null when absent.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels)
        => _samples.TryGetValue(Canonical(name, labels), out double value) ? value : null;

    private static string Canonical(string name, (string Label, string Value)[] labels)
        => labels.Length == 0 ? name : name + "{" + string.Join(",", labels.OrderBy(l => l.Label, StringComparer.Ordinal).Select(l => $"{l.Label}=\"{l.Value}\"")) + "}";

    /// <summary>A series as written, with its labels sorted, so lookups do not depend on the writer's label order.</summary>
    private static string Canonical(string series)
    {
        int brace = series.IndexOf('{');
        if (brace < 0) return series;
        if (!series.EndsWith('}')) throw new FormatException($"unterminated labels: {series}");
        var labels = new List<(string, string)>();
        string body = series[(brace + 1)..^1];
        int i = 0;
        while (i < body.Length)
        {
            int equals = body.IndexOf('=', i);
            if (equals < 0 || body[equals + 1] != '"') throw new FormatException($"malformed label in {series}");
            int end = body.IndexOf('"', equals + 2);
            if (end < 0) throw new FormatException($"unterminated label value in {series}");
            labels.Add((body[i..equals], body[(equals + 2)..end]));
            i = end + 1;
            if (i < body.Length && body[i] == ',') i++;
        }
        return Canonical(series[..brace], labels.ToArray());
    }
}
