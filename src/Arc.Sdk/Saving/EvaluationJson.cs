using System.Text.Json;

namespace Arc.Sdk;

/// <summary>
/// An <see cref="EvalReport"/> as the JSON of a model artifact's <c>evaluation.json</c> layer: model, job, split,
/// samples, device, duration, headline metrics (sorted by name) and the readable report text (tables included).
/// Written only; nothing typed is ever read back from it.
/// </summary>
internal static class EvaluationJson
{
    public static byte[] Write(EvalReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", report.Model);
            json.WriteString("job", report.Job);
            json.WriteString("split", report.Split.ToString().ToLowerInvariant());
            json.WriteNumber("samples", report.Samples);
            json.WriteString("device", report.Device);
            json.WriteNumber("durationSeconds", report.Duration.TotalSeconds);
            json.WriteStartObject("metrics");
            foreach (var (name, value) in report.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteString(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
            json.WriteString("text", report.Format());
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
