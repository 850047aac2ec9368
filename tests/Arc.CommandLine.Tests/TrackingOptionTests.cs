using System.Text.Json;
using Arc.Tracking;
using Arc.Tracking.Server;

namespace Arc.CommandLine.Tests;

/// <summary>
/// <c>train --tracking &lt;uri&gt;</c> of the MNIST sample's generated command line, run as a child process: the run is
/// recorded as an experiment in the embedded store, read back here with the store itself.
/// </summary>
public sealed class TrackingOptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrainWithTrackingFileRecordsTheRunItsParametersLossesEpochsEvaluationAndEnd()
    {
        using var temp = new TempFolder();
        string run = temp["cnn"], tracking = temp["tracking"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path,
            ["train", "--model", "convclassifier", "--max-per-digit", "30", "--threads", "1", "--epochs", "2", "--channels", "4",
             "--outputs", "metrics", "--output-dir", run, "--tracking", "file:" + tracking]);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");

        await using var store = await SqliteMetadataStore.OpenAsync(Path.Combine(tracking, "metadata.db"), Ct);
        var experiment = Assert.Single(await store.ListExperimentsAsync(cancellationToken: Ct));
        Assert.StartsWith("convclassifier-", experiment.Name);
        Assert.Equal(ExperimentStatus.Finished, experiment.Status);
        Assert.Equal(4L, experiment.Hyperparameters["channels"].AsLong());   // a model option, typed
        Assert.Equal(30L, experiment.Hyperparameters["job.maxPerDigit"].AsLong());
        Assert.Equal(2L, experiment.Hyperparameters["train.epochs"].AsLong());
        Assert.Equal("command line train", experiment.Environment["loop"]);

        // The same losses the run folder's metrics.jsonl holds, step by step.
        var written = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() == "step")
            .Select(l => (l.GetProperty("step").GetInt64(), l.GetProperty("loss").GetDouble())).ToArray();
        var recorded = await store.ReadMetricAsync(experiment.Id, "train/loss", cancellationToken: Ct);
        Assert.Equal(8, written.Length);
        Assert.Equal(written, recorded.Select(p => (p.Step, p.Value)));
        Assert.Equal([4L, 8L], (await store.ReadMetricAsync(experiment.Id, "train/epoch_loss", cancellationToken: Ct)).Select(p => p.Step));
        Assert.Equal(2, (await store.ReadMetricAsync(experiment.Id, "eval/accuracy", cancellationToken: Ct)).Count);
        var latest = (await store.ReadLatestMetricsAsync(experiment.Id, Ct)).ToDictionary(p => p.Key, p => p.Value);
        Assert.InRange(latest["eval/test/accuracy"], 0, 1); // the final report
        Assert.Equal(latest["eval/accuracy"], latest["eval/test/accuracy"]);
    }

    [Fact]
    public async Task ATrackingUriThatIsNotOneEndsWithUsageBeforeTraining()
    {
        using var temp = new TempFolder();
        string run = temp["cnn"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path,
            ["train", "--model", "convclassifier", "--max-per-digit", "30", "--threads", "1", "--output-dir", run, "--tracking", "ftp://127.0.0.1/runs"]);
        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("--tracking", stderr);
        Assert.Contains("ftp://127.0.0.1/runs", stderr);
        Assert.False(Directory.Exists(run)); // refused while parsing: nothing was written
    }
}
