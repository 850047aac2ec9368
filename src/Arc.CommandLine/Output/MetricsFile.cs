using System.Text.Json;

namespace Arc.CommandLine;

/// <summary>Reads metrics.jsonl back (the plots draw from it, so a resumed run's plots cover the whole run).</summary>
internal static class MetricsFile
{
    public sealed record StepPoint(long Step, double Loss);

    public sealed record EpochPoint(int Epoch, double MeanLoss, Dictionary<string, double> Metrics);

    public static (List<StepPoint> Steps, List<EpochPoint> Epochs) Read(string path)
    {
        var steps = new SortedDictionary<long, StepPoint>();
        var epochs = new SortedDictionary<int, EpochPoint>();
        if (!File.Exists(path)) return ([], []);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                continue; // a line cut short by a killed process
            }
            string? kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null;
            // A step repeated after a resume (the checkpoint was older than the last logged step) keeps its last value.
            if (kind == "step")
                steps[root.GetProperty("step").GetInt64()] = new StepPoint(root.GetProperty("step").GetInt64(), Number(root.GetProperty("loss")));
            else if (kind == "epoch")
            {
                var metrics = new Dictionary<string, double>();
                foreach (var m in root.GetProperty("metrics").EnumerateObject())
                    metrics[m.Name] = Number(m.Value);
                int epoch = root.GetProperty("epoch").GetInt32();
                epochs[epoch] = new EpochPoint(epoch, Number(root.GetProperty("mean_loss")), metrics);
            }
        }
        return (steps.Values.ToList(), epochs.Values.ToList());
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
}
