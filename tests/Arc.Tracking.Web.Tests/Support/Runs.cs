using Arc.Tracking.Server;

namespace Arc.Tracking.Web.Tests.Support;

/// <summary>Experiments as training leaves them, written through the store: series, an evaluation, a model version.</summary>
internal static class Runs
{
    /// <summary>A finished experiment with <paramref name="points"/> loss points (loss = 1/(step+1) + offset) and an accuracy per 10 steps.</summary>
    public static async Task<Experiment> TrainedAsync(IMetadataStore store, string @namespace, string name, int points, double offset = 0,
        ExperimentStatus status = ExperimentStatus.Finished, CancellationToken cancellationToken = default)
    {
        var experiment = await store.CreateExperimentAsync(new ExperimentDraft(@namespace, name, "ada@example.com")
        {
            Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = 0.01 + offset, ["epochs"] = 3 },
            Environment = new Dictionary<string, string> { ["os"] = "linux" },
        }, cancellationToken);
        await LogLossAsync(store, experiment.Id, 0, points, offset, cancellationToken);
        if (status != ExperimentStatus.Running) experiment = await store.SetExperimentStatusAsync(experiment.Id, status, cancellationToken: cancellationToken);
        return experiment;
    }

    public static double Loss(long step, double offset) => 1.0 / (step + 1) + offset;

    public static async Task LogLossAsync(IMetadataStore store, string experimentId, long fromStep, int count, double offset, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var points = Enumerable.Range(0, count).Select(i => new MetricPoint("loss", fromStep + i, now, Loss(fromStep + i, offset))).ToArray();
        foreach (var chunk in points.Chunk(MetricBatch.MaxPoints))
            await store.LogMetricsAsync(new MetricBatch(experimentId, chunk), cancellationToken);
    }

    /// <summary>An evaluation of split "test" as the recorder logs it: metrics, per-class figures and the confusion counts.</summary>
    public static async Task EvaluatedAsync(IMetadataStore store, string experimentId, long[,] confusion, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var points = new List<MetricPoint> { new("eval/test/accuracy", 100, now, 0.75) };
        int n = confusion.GetLength(0);
        for (int c = 0; c < n; c++)
            foreach (string figure in new[] { "precision", "recall", "f1", "support" })
                points.Add(new MetricPoint($"eval/test/class/c{c}/{figure}", 100, now, figure == "support" ? 10 : 0.5));
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
                points.Add(new MetricPoint($"eval/test/confusion/{t}/{p}", 100, now, confusion[t, p]));
        await store.LogMetricsAsync(new MetricBatch(experimentId, points), cancellationToken);
    }
}
