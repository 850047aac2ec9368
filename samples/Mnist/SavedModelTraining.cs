using System.Diagnostics;
using System.Globalization;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The <c>--train-saved</c> mode (not run by default): the sample's two models, created from their seeds and saved
/// untrained as OCI artifacts, are trained <b>by reference</b> with <see cref="Trainer.TrainAsync{X, Y}"/> on
/// <see cref="Target.LocalProcess"/>: each starts in its own worker from its artifact's code bundle, both train on one
/// stream of the job, and each trained copy is saved back with its parent's reference in its config.
/// </summary>
public static class SavedModelTraining
{
    /// <summary>The line printed for each trained copy; tests and scripts read it.</summary>
    public const string ResultPrefix = "trained ";

    /// <summary>Saves both models, trains them by reference on <paramref name="target"/> and prints what became of each.</summary>
    /// <exception cref="InvalidOperationException">A model failed (its error is in the message).</exception>
    public static async Task<ArtifactTrainingResult> RunAsync(ClassifyDigits job, SampleOptions options, TextWriter output, Target target)
    {
        var repository = options.ArtifactStore ?? ArtifactLocations.DefaultStore;
        var clock = Stopwatch.StartNew();
        // What a user would have saved earlier: the models as created, before any training.
        using var mlp = MlpClassifier.Create(SampleModels.MlpHyperparameters(options.Seed));
        using var conv = ConvClassifier.Create(SampleModels.ConvHyperparameters(options.Seed));
        ArtifactReference[] saved =
        [
            await MlpClassifier.Registration.SaveAsync(mlp, SampleModels.MlpHyperparameters(options.Seed), repository),
            await ConvClassifier.Registration.SaveAsync(conv, SampleModels.ConvHyperparameters(options.Seed), repository),
        ];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved the two untrained models in {clock.Elapsed.TotalSeconds:0.0}s:"));
        foreach (var reference in saved) output.WriteLine($"  {reference}");

        output.WriteLine($"training them by reference on {target}: each in its own worker, one stream of {job.Name}");
        var result = await Trainer.TrainAsync(job, saved, target, new ArtifactTrainingOptions { Train = options.ToTrainOptions(), Repository = repository });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.EpochsCompleted} full epochs, started, trained, evaluated and saved in {result.Duration.TotalSeconds:0.0}s"));
        foreach (var entry in result.Entries)
        {
            if (entry.Failed)
            {
                output.WriteLine($"FAILED {entry.Parent}: {entry.Error!.GetType().Name}: {entry.Error.Message}");
                continue;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ResultPrefix}{entry.Saved} parent={entry.Parent} accuracy={entry.Report!.Metric("accuracy"):0.0000} worker={entry.ProcessId}"));
        }
        var failed = result.Entries.Where(e => e.Failed).ToList();
        if (failed.Count > 0)
            throw new InvalidOperationException($"{failed.Count} saved model(s) failed: {string.Join("; ", failed.Select(e => $"{e.Parent}: {e.Error!.Message}"))}");
        return result;
    }
}
