using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The sample's saved-model part: the trainer's best model is saved as an OCI artifact (weights, hyperparameters,
/// evaluation report and the code bundle of this program; libtorch stays a requirement), and a second process —
/// this sample with <c>--predict &lt;reference&gt;</c> — connects to it by reference alone and predicts test digits.
/// </summary>
public static partial class SavedModelRound
{
    /// <summary>The line the predicting process ends with; the first process reads its accuracy from it.</summary>
    private const string ResultPrefix = "saved model accuracy=";

    /// <summary>
    /// Saves the best model of <paramref name="result"/> to <paramref name="options"/>' artifact store and returns its
    /// reference and its accuracy on the first <see cref="SampleOptions.PredictCount"/> test digits, computed here.
    /// </summary>
    public static async Task<(ArtifactReference Reference, double Accuracy)> SaveBestAsync(TrainerResult<ImageData, ClassData> result,
        ClassifyDigits job, SampleOptions options)
    {
        var best = result.Best ?? throw new InvalidOperationException("no model finished training, so there is nothing to save");
        var clock = Stopwatch.StartNew();
        var repository = options.ArtifactStore ?? ArtifactLocations.DefaultStore;
        // The typed clients carry their hyperparameters; the registrations know how to write them.
        var reference = best.Model switch
        {
            MlpClassifier.Client mlp => await MlpClassifier.Registration.SaveAsync(mlp, mlp.Hyperparameters, repository, best.Report),
            ConvClassifier.Client conv => await ConvClassifier.Registration.SaveAsync(conv, conv.Hyperparameters, repository, best.Report),
            var other => throw new InvalidOperationException($"the sample cannot save {other}"),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved the best model, {best.Model.Name}, in {clock.Elapsed.TotalSeconds:0.0}s as"));
        Console.WriteLine($"  {reference}");
        var (digits, labels) = await TestDigitsAsync(job, options.PredictCount);
        return (reference, Accuracy(await best.Model.PredictAsync(digits), labels));
    }

    /// <summary>
    /// Starts this sample again with <c>--predict &lt;reference&gt;</c>, forwards its output, and returns the accuracy it
    /// reports (the second process knows nothing but the reference and the data).
    /// </summary>
    public static async Task<double> PredictInAnotherProcessAsync(ArtifactReference reference, SampleOptions options)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("this process has no program path"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        // Under `dotnet Mnist.dll` the program path is the dotnet host: pass the sample's assembly first.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(typeof(SavedModelRound).Assembly.Location);
        foreach (string argument in new[] { "--predict", reference.ToString(), "--predict-count", options.PredictCount.ToString(CultureInfo.InvariantCulture),
                     "--max-per-digit", options.MaxPerDigit.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        double? accuracy = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            Console.WriteLine($"  [pid {child.Id}] {line}");
            if (ResultLine().Match(line) is { Success: true } match)
                accuracy = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        await child.WaitForExitAsync();
        if (child.ExitCode != 0 || accuracy is null)
            throw new InvalidOperationException($"the predicting process exited with code {child.ExitCode}{(accuracy is null ? " without a result line" : "")}");
        return accuracy.Value;
    }

    /// <summary>
    /// The <c>--predict &lt;reference&gt;</c> mode: connects to the saved model by reference (a worker process loads it
    /// from the artifact's code bundle), predicts the first test digits and prints its accuracy on them.
    /// </summary>
    public static async Task<int> PredictAsync(string reference, SampleOptions options)
    {
        var clock = Stopwatch.StartNew();
        await using var model = await SavedModel.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"connected to {model.Name} by reference in {clock.Elapsed.TotalSeconds:0.0}s: {model}"));
        var (digits, labels) = await TestDigitsAsync(new ClassifyDigits(maxPerDigit: options.MaxPerDigit), options.PredictCount);
        var predicted = await model.PredictAsync(digits);
        var first = predicted.IndexSpan[..Math.Min(12, predicted.Count)].ToArray();
        Console.WriteLine($"first digits: predicted {string.Join(" ", first)}, labelled {string.Join(" ", labels.IndexSpan[..first.Length].ToArray())}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{Accuracy(predicted, labels):0.0000} on {digits.Count} test digits"));
        return 0;
    }

    private static async Task<(ImageData Digits, ClassData Labels)> TestDigitsAsync(ClassifyDigits job, int count)
    {
        var test = await job.GetSplitAsync(DataSplit.Test);
        int n = Math.Min(count, test.Inputs.Count);
        return (test.Inputs.Slice(0, n), test.Targets.Slice(0, n));
    }

    private static double Accuracy(ClassData predicted, ClassData labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Count; i++)
            if (predicted.IndexSpan[i] == labels.IndexSpan[i]) correct++;
        return (double)correct / labels.Count;
    }

    [GeneratedRegex(@"^saved model accuracy=([0-9.]+) ")]
    private static partial Regex ResultLine();
}
