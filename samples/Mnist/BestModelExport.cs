using System.Globalization;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The sample's serving part (<c>--export-best DIR</c>, issue #16 item 6): trains both models in this process, evaluates
/// them on the test split, and writes the more accurate one as a model directory (seed 004's <c>model_dir</c>:
/// model.json, hyperparameters.msgpack, weights.bin) that <c>arc serve</c> serves from an archive of this program's build
/// output (<c>arc package</c>). Prints the commands that package it, serve it and ask it about a digit with curl.
/// </summary>
public static class BestModelExport
{
    /// <summary>Trains, picks and writes the best model into <paramref name="directory"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(ClassifyDigits job, string directory, SampleOptions options, TextWriter output)
    {
        directory = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(directory, ModelDirectory.InfoFile)))
        {
            // A model directory is the result of a run; replacing one silently would lose it.
            Console.Error.WriteLine($"error: --export-best: {directory} already holds a model ({ModelDirectory.InfoFile}); choose another folder");
            return 2;
        }
        var mlp = await TrainAsync(job, MlpClassifier.Create(SampleModels.MlpHyperparameters(options.Seed)), options, output);
        var conv = await TrainAsync(job, ConvClassifier.Create(SampleModels.ConvHyperparameters(options.Seed)), options, output);
        try
        {
            // The CNN wins a tie: it is the sample's stronger model on a full run.
            var (best, other) = mlp.Accuracy > conv.Accuracy ? (mlp, conv) : (conv, mlp);
            // What serving needs to rebuild the model: its registered name and its hyperparameters' wire form.
            var (name, hyperparameters) = best.Model switch
            {
                MlpClassifier => (MlpClassifier.Registration.Name, MlpClassifier.Registration.WriteParameters(SampleModels.MlpHyperparameters(options.Seed))),
                ConvClassifier => (ConvClassifier.Registration.Name, ConvClassifier.Registration.WriteParameters(SampleModels.ConvHyperparameters(options.Seed))),
                _ => throw new InvalidOperationException($"unexpected model {best.Model.GetType()}"),
            };
            var info = new TrainedModelInfo
            {
                Model = name,
                Type = best.Model.GetType().FullName!,
                Job = job.Name,
                Epochs = best.Summary.EpochsCompleted,
                Steps = best.Summary.Steps,
                Samples = best.Summary.Samples,
                LastEpochLoss = double.IsFinite(best.Summary.LastEpochLoss) ? best.Summary.LastEpochLoss : null,
                StoppedByBudget = best.Summary.StoppedByBudget,
            };
            await ModelDirectory.SaveAsync(directory, info, hyperparameters, best.Model);

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best model: {name} accuracy={best.Accuracy:0.0000} (the other: {other.Model.Name} {other.Accuracy:0.0000}), written to {directory}"));
            output.WriteLine("package this program and serve the model (docs/serving.md):");
            output.WriteLine($"  arc package -m {AppContext.BaseDirectory.TrimEnd('/')} -o mnist.tar.gz");
            output.WriteLine($"  arc serve mnist.tar.gz {directory}");
            output.WriteLine("  curl -H 'Content-Type: image/png' -H 'Accept: text/plain' --data-binary @digit.png http://127.0.0.1:8080/invocations");
            return 0;
        }
        finally
        {
            mlp.Model.Dispose();
            conv.Model.Dispose();
        }
    }

    private static async Task<(TorchClassifier<ImageData> Model, TrainSummary Summary, double Accuracy)> TrainAsync(
        ClassifyDigits job, TorchClassifier<ImageData> model, SampleOptions options, TextWriter output)
    {
        output.WriteLine($"== {model.Name}: {options.Epochs} epochs, batch size {options.BatchSize}");
        var summary = await job.TrainAsync(model, options.ToTrainOptions());
        var report = await job.EvaluateAsync(model, DataSplit.Test);
        double accuracy = report.Metric("accuracy");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  trained {summary.Steps} steps; test accuracy {accuracy:0.0000}"));
        return (model, summary, accuracy);
    }
}
