using System.Globalization;
using TorchSharp;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The sample's own demonstration, what a plain run (no command) does: trains an MLP and a small CNN on MNIST digits in
/// this process, evaluates both on the held-out split, then trains the same models again in worker processes
/// (Target.LocalProcess) with a Trainer and compares the accuracies. Ends with one line per model:
/// model=&lt;name&gt; accuracy=&lt;0..1&gt; (the in-process accuracy). The best worker model is saved as an OCI artifact, and a
/// second process (this sample with --predict &lt;reference&gt;) connects to it by reference. Every training records itself
/// (--tracking, ARC_TRACKING_URI, or the embedded store in ~/.arc/tracking): --list-runs lists them. With --train-saved
/// it instead saves both models untrained and trains them by reference (SavedModelTraining.cs); with --export-best DIR
/// it trains both here and writes the better one as a model directory for arc serve (BestModelExport.cs).
/// </summary>
public static class Demonstration
{
    /// <summary>Runs the demonstration with the sample's own options (<see cref="SampleOptions"/>); returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        SampleOptions options;
        try
        {
            options = SampleOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(SampleOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(SampleOptions.Usage);
            return 0;
        }
        if (options.NoTracking) Environment.SetEnvironmentVariable(TrainOptions.TrackingEnvironmentVariable, null);
        if (options.ListRuns)
        {
            try
            {
                return await TrackingRuns.ListAsync(options.TrackingDestination);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or Grpc.Core.RpcException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        }
        if (options.Predict is { } savedReference)
        {
            // The second process of the sample: it knows the saved model's reference and the data, nothing else.
            try
            {
                return await SavedModelRound.PredictAsync(savedReference, options);
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or FormatException or Arc.Artifacts.ArtifactStoreException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        }

        try
        {
            Console.WriteLine("environment");
            Console.Write(ArcEnvironment.Sample().Format());
            // Registered at start-up by the code Arc.Generators wrote for the [Model]/[Job] classes of this program.
            Console.WriteLine($"registered: models {string.Join(", ", ArcRegistry.Models.Select(m => $"{m.Name}<{m.InputType.Name},{m.OutputType.Name}>"))}; jobs {string.Join(", ", ArcRegistry.Jobs.Select(j => j.Name))}");
            Console.WriteLine();

            var job = new ClassifyDigits(maxPerDigit: options.MaxPerDigit);
            // Before the splits load, so that a refused folder is refused at once.
            if (options.ExportBest is { } exportDirectory)
                return await BestModelExport.RunAsync(job, exportDirectory, options, Console.Out);
            var train = await job.GetSplitAsync(DataSplit.Train);
            var test = await job.GetSplitAsync(DataSplit.Test);
            Console.WriteLine($"job {job.Name}: {train.Inputs.Count} training and {test.Inputs.Count} test digits ({train.Inputs})");
            if (options.TrainSaved)
            {
                await SavedModelTraining.RunAsync(job, options, Console.Out, Target.LocalProcess);
                return 0;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"training each model for {options.Epochs} epochs{(options.BudgetSeconds is double b ? $" or {b:0.#} s" : "")}, batch size {options.BatchSize}, torch threads {torch.get_num_threads()}"));

            var models = new (string Label, Func<TorchClassifier<ImageData>> Create)[]
            {
                // Create(Hyperparameters) and the Hyperparameters records are generated from each model's constructor; the
                // seed hyperparameter fixes the initial weights, here and in the worker processes below.
                ("MLP 784-128-10", () => MlpClassifier.Create(SampleModels.MlpHyperparameters(options.Seed))),
                ("CNN conv8-conv16-linear", () => ConvClassifier.Create(SampleModels.ConvHyperparameters(options.Seed))),
            };
            var results = new List<(string Model, double Accuracy)>();
            foreach (var (label, create) in models)
            {
                using var model = create();
                Console.WriteLine();
                Console.WriteLine($"== {model.Name} ({label}) on {model.DeviceName}");
                var summary = await job.TrainAsync(model, options.ToTrainOptions(), new ConsoleTrainProgress(TimeSpan.FromSeconds(3)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  trained {summary.Steps} steps, {summary.EpochsCompleted} full epochs in {summary.Duration.TotalSeconds:0.0}s{(summary.StoppedByBudget ? " (budget reached)" : "")}"));
                TrackingRuns.PrintRecorded(model);

                var report = await job.EvaluateAsync(model, DataSplit.Test);
                Console.WriteLine();
                Console.Write(report.Format());
                results.Add((report.Model, report.Metric("accuracy")));
            }

            Console.WriteLine();
            Console.WriteLine($"== the same models in worker processes ({Target.LocalProcess}), trained together by a Trainer on the same batches");
            var (remote, saved, savedAccuracy) = await RemoteTraining.RunAsync(job, options);
            Console.WriteLine();
            Console.WriteLine($"== a second process connects to the saved model by reference and predicts {options.PredictCount} test digits");
            double connectedAccuracy = await SavedModelRound.PredictInAnotherProcessAsync(saved, options);
            // Same weights, same digits, same libtorch: the saved model predicts there exactly what it predicted here.
            bool savedEqual = connectedAccuracy == savedAccuracy;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"saved model: accuracy {savedAccuracy:0.0000} here, {connectedAccuracy:0.0000} connected by reference: {(savedEqual ? "equal" : "DIFFERENT")}"));

            Console.WriteLine();
            bool allEqual = savedEqual;
            foreach (var (name, accuracy) in results)
            {
                double worker = remote[name];
                // Same seeds, same batches, same arithmetic: the accuracies are equal unless a budget cut either run short.
                allEqual &= accuracy == worker;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: in-process accuracy {accuracy:0.0000}, worker accuracy {worker:0.0000}: {(accuracy == worker ? "equal" : "DIFFERENT")}"));
            }
            // On CPU, without a budget, a difference is a bug (the CI smoke run checks it). GPU kernels such as cuDNN's
            // convolution backward may be nondeterministic, so there a difference is only reported.
            if (!allEqual && options.BudgetSeconds is null && ArcEnvironment.Sample().DefaultDevice == "cpu")
            {
                Console.Error.WriteLine("error: on CPU the worker-trained models must reach exactly the in-process accuracy, and the saved model predict the same");
                return 1;
            }

            if (!options.NoTracking)
            {
                // Both parts recorded each model's run (and the saved model as a version of it): say how to see them.
                Console.WriteLine();
                Console.WriteLine($"the runs are recorded in {options.TrackingDestination}; list them with:");
                Console.WriteLine($"  {TrackingRuns.ListCommand(options)}");
            }

            Console.WriteLine();
            foreach (var (name, accuracy) in results)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model={name} accuracy={accuracy:0.0000}"));
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or Arc.Artifacts.ArtifactStoreException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
