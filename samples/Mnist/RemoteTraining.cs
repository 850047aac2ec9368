using System.Diagnostics;
using System.Globalization;
using Arc.Artifacts;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The sample's remote part: the same two models, created from the same hyperparameters (seed included) in worker
/// processes (<see cref="Target.LocalProcess"/>), trained together by a <see cref="Trainer{X, Y}"/> on the same job
/// with the same epochs, batch size and shuffle seeds as the in-process part, then evaluated and ranked.
/// </summary>
public static class RemoteTraining
{
    /// <summary>
    /// Deploys, trains, evaluates and prints the ranked reports, then saves the best model (<see cref="SavedModelRound"/>);
    /// returns each model's accuracy by name, and the saved model's reference and accuracy on the digits it will predict.
    /// </summary>
    /// <exception cref="InvalidOperationException">A worker model failed (its error is in the message).</exception>
    public static async Task<(IReadOnlyDictionary<string, double> Accuracies, Arc.Artifacts.ArtifactReference Saved, double SavedAccuracy)> RunAsync(
        ClassifyDigits job, SampleOptions options)
    {
        var clock = Stopwatch.StartNew();
        // Both workers start at once: each loads the runtime, TorchSharp and this assembly (a second or two).
        // DeployAsync and the typed Client it returns are generated from each [Model] class's constructor.
        Task<IDeployedModel<ImageData, ClassData>>[] deploys =
        [
            Deploy(MlpClassifier.DeployAsync(Target.LocalProcess, seed: options.Seed)),
            Deploy(ConvClassifier.DeployAsync(Target.LocalProcess, seed: options.Seed)),
        ];
        try
        {
            await Task.WhenAll(deploys);
        }
        catch
        {
            // One worker failed to start: stop the one that did start before reporting the failure.
            foreach (var started in deploys.Where(d => d.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
            throw;
        }
        await using var mlp = deploys[0].Result;
        await using var conv = deploys[1].Result;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"deployed {mlp.Name} and {conv.Name} on {Target.LocalProcess} workers in {clock.Elapsed.TotalSeconds:0.0}s"));

        var trainer = new Trainer<ImageData, ClassData>(options.ToTrainOptions());
        var result = await trainer.TrainAsync(job, [mlp, conv], new ConsoleTrainerProgress(TimeSpan.FromSeconds(3)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  trained {result.EpochsCompleted} full epochs in {result.Duration.TotalSeconds:0.0}s (evaluation included){(result.StoppedByBudget ? " (budget reached)" : "")}"));

        Console.WriteLine();
        Console.WriteLine($"ranked by {result.Metric ?? "(no metric)"}:");
        var accuracies = new Dictionary<string, double>();
        int rank = 0;
        foreach (var entry in result.Entries)
        {
            rank++;
            if (entry.Failed)
            {
                Console.WriteLine($"{rank}. {entry.Model.Name} FAILED after {entry.Steps} steps: {entry.Error!.GetType().Name}: {entry.Error.Message}");
                continue;
            }
            // The report's summary and headline metrics; the tables are those of the in-process part's format.
            var lines = entry.Report!.Format().Split('\n', 3);
            Console.WriteLine($"{rank}. {lines[0].TrimEnd()}");
            Console.WriteLine($"   {lines[1].TrimEnd()}");
            accuracies[entry.Model.Name] = entry.Report.Metric("accuracy");
            TrackingRuns.PrintRecorded(entry.Model);
        }
        var failed = result.Entries.Where(e => e.Failed).ToList();
        if (failed.Count > 0)
            throw new InvalidOperationException($"{failed.Count} worker model(s) failed: {string.Join("; ", failed.Select(e => $"{e.Model.Name}: {e.Error!.Message}"))}");

        Console.WriteLine();
        var (saved, savedAccuracy) = await SavedModelRound.SaveBestAsync(result, job, options);
        return (accuracies, saved, savedAccuracy);
    }

    /// <summary>Prints the trainer's progress at most every <c>interval</c>.</summary>
    private static async Task<IDeployedModel<ImageData, ClassData>> Deploy<TClient>(Task<TClient> develop)
        where TClient : IDeployedModel<ImageData, ClassData>
        => await develop;

    private sealed class ConsoleTrainerProgress(TimeSpan interval) : IProgress<TrainerProgress>
    {
        private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();

        public void Report(TrainerProgress p)
        {
            if (_sinceLastLine.Elapsed < interval) return;
            _sinceLastLine.Restart();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {p.Epoch}/{p.Epochs}  batch {p.Batch,4}  {p.HealthyModels} models training  {p.Samples / p.Elapsed.TotalSeconds,6:0} samples/s  {p.Elapsed.TotalSeconds,5:0.0}s"));
        }
    }
}
