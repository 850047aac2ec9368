using System.Globalization;
using Arc.Sdk;
using Arc.Tracking;
using Arc.Tracking.Server;

namespace Arc.Samples.Mnist;

/// <summary>The sample's view of what its training recorded: where each run went, and <c>--list-runs</c>.</summary>
public static class TrackingRuns
{
    /// <summary>The command that lists what the sample recorded into <paramref name="options"/>' destination.</summary>
    public static string ListCommand(SampleOptions options)
        => "dotnet run --project samples/Mnist -c Release -- --list-runs" + (options.Tracking is { } t ? $" --tracking {t}" : "");

    /// <summary>Prints where <paramref name="model"/>'s latest run was recorded, when it was.</summary>
    public static void PrintRecorded(object model)
    {
        if (TrainingRecorders.LatestOf(model) is { } recording) Console.WriteLine($"  recorded as {recording.Description}");
    }

    /// <summary>Lists the experiments (oldest first) and the registered models with their versions in <paramref name="destination"/>.</summary>
    public static async Task<int> ListAsync(string destination)
    {
        await using var connection = await TrackingConnection.OpenAsync(destination);
        var store = connection.Store;
        Console.WriteLine($"tracking destination {connection.Destination}");
        var experiments = await store.ListExperimentsAsync();
        Console.WriteLine($"{experiments.Count} experiments:");
        foreach (var e in experiments)
        {
            var latest = (await store.ReadLatestMetricsAsync(e.Id)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            string accuracy = latest.TryGetValue("eval/test/accuracy", out double a) ? a.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            string loss = latest.TryGetValue("train/epoch_loss", out double l) ? l.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            e.Environment.TryGetValue("target", out string? target);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {e.Namespace}/{e.Name}  {e.Status}  target {target ?? "?"}  epoch loss {loss}  test accuracy {accuracy}  started {e.StartedAt:yyyy-MM-dd HH:mm:ss}Z  id {e.Id}"));
        }
        var models = await store.ListModelsAsync();
        Console.WriteLine($"{models.Count} registered models:");
        foreach (var m in models)
            foreach (var v in await store.ListModelVersionsAsync(m.Id))
                Console.WriteLine($"  {m.Namespace}/{m.Name} v{v.Version}  from experiment {v.Lineage.ExperimentId ?? "-"} (job {v.Lineage.Job ?? "-"})  {v.ArtifactReference}");
        return 0;
    }
}
