using System.Collections.Concurrent;
using Arc.Artifacts;
using Arc.Sdk.Tests.Remote;
using Arc.Sdk.Tests.Support;
using Arc.Tracking;
using Arc.Tracking.Server;
using Arc.Types;

namespace Arc.Sdk.Tests.Recording;

/// <summary>
/// Training that records itself into the embedded tracking store (a real SQLite database and disk blob store in a
/// scratch folder, through Arc.Tracking.Recording, which Arc.Sdk loads by name): in process with
/// <c>TrainAsync</c>, and in worker processes (<see cref="Target.LocalProcess"/>) with a <see cref="Trainer{X, Y}"/>.
/// </summary>
public sealed class TrainingRecordsItselfTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private readonly ConcurrentQueue<string> _log = new();

    public void Dispose()
    {
        // The recorder keeps its connection to this destination open for later evaluations; Linux deletes open files.
        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private string Tracking => "file:" + Path.Combine(_scratch.FullName, "tracking");

    private Target LocalProcess => Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue });

    private Task<SqliteMetadataStore> OpenStoreAsync()
        => SqliteMetadataStore.OpenAsync(Path.Combine(_scratch.FullName, "tracking", "metadata.db"), Ct);

    private DiskBlobStore Blobs => new(Path.Combine(_scratch.FullName, "tracking", "blobs"));

    [Fact]
    public async Task TrainAsync_records_the_run_its_checkpoints_the_evaluation_and_the_saved_model()
    {
        var job = new WorkerRampJob(count: 40, seed: 5);
        var hyperparameters = new WorkerMlp.Hyperparameters(Hidden: 7);
        using var model = WorkerMlp.Create(hyperparameters);
        var options = new TrainOptions { Epochs = 2, BatchSize = 8, ShuffleSeed = 3, Tracking = Tracking, CheckpointEveryEpochs = 1 };

        var summary = await job.TrainAsync(model, options, cancellationToken: Ct);
        var report = await job.EvaluateAsync(model, DataSplit.Test, cancellationToken: Ct);
        var reference = await WorkerMlp.Registration.SaveAsync(model, hyperparameters,
            ArtifactReference.ForLayout(Path.Combine(_scratch.FullName, "layout")), report, cancellationToken: Ct);

        await using var store = await OpenStoreAsync();
        var experiment = Assert.Single(await store.ListExperimentsAsync("default", Ct));
        Assert.StartsWith("workermlp-", experiment.Name);
        Assert.Equal(ExperimentStatus.Finished, experiment.Status);
        Assert.NotNull(experiment.EndedAt);
        Assert.Equal(7, experiment.Hyperparameters["hidden"].AsLong());
        Assert.Equal(2, experiment.Hyperparameters["train.epochs"].AsLong());
        Assert.Equal(8, experiment.Hyperparameters["train.batch_size"].AsLong());
        Assert.Equal(("InProcess", "TrainAsync", "workerrampjob"), (experiment.Environment["target"], experiment.Environment["loop"], experiment.Environment["job"]));
        Assert.Equal(ArcEnvironment.Sample().OperatingSystem, experiment.Environment["os"]);
        // The tests run from a git checkout, so the code version is its commit.
        Assert.NotNull(experiment.CodeVersion);
        Assert.Matches("^[0-9a-f]{40}$", experiment.CodeVersion!.Commit);

        var loss = await store.ReadMetricAsync(experiment.Id, "train/loss", cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(1, (int)summary.Steps).Select(s => (long)s), loss.Select(p => p.Step));
        Assert.All(loss, p => Assert.True(double.IsFinite(p.Value) && p.Value > 0));
        var epochLoss = await store.ReadMetricAsync(experiment.Id, "train/epoch_loss", cancellationToken: Ct);
        Assert.Equal([summary.Steps / 2, summary.Steps], epochLoss.Select(p => p.Step));
        Assert.Equal(summary.LastEpochLoss, epochLoss[^1].Value, 12);

        // A checkpoint per epoch; the last one's blob is exactly the trained weights.
        var checkpoints = await store.ListCheckpointsAsync(experiment.Id, Ct);
        Assert.Equal([1L, 2L], checkpoints.Select(c => c.Epoch!.Value));
        Assert.Equal(summary.LastEpochLoss, checkpoints[1].Metrics["train/epoch_loss"], 12);
        using var trained = new MemoryStream();
        model.SaveWeights(trained);
        using var checkpointed = new MemoryStream();
        await using (var blob = await Blobs.OpenReadAsync(checkpoints[1].BlobSha256, Ct)) await blob.CopyToAsync(checkpointed, Ct);
        Assert.Equal(trained.ToArray(), checkpointed.ToArray());

        // The evaluation: headline and per-class metrics, the confusion matrix as counts and as a file, the report text.
        var latest = (await store.ReadLatestMetricsAsync(experiment.Id, Ct)).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(report.Metric("accuracy"), latest["eval/test/accuracy"]);
        var classification = report.Classification!;
        Assert.Equal(classification.PerClass[1].Recall, latest["eval/test/class/b/recall"]);
        double matrixTotal = Enumerable.Range(0, 3).SelectMany(t => Enumerable.Range(0, 3).Select(p => latest[$"eval/test/confusion/{t}/{p}"])).Sum();
        Assert.Equal(report.Samples, matrixTotal);
        Assert.Equal(classification.Confusion(2, 0), latest["eval/test/confusion/2/0"]);
        var files = (await store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Ct)).Select(f => f.File.Name).ToArray();
        Assert.Contains("evaluation/test-report.txt", files);
        Assert.Contains("evaluation/test-confusion.csv", files);
        Assert.Equal(2, files.Count(f => f.StartsWith("checkpoints/", StringComparison.Ordinal)));

        // The saved artifact: a version of the registered model, linked to the experiment and the job.
        var registered = await store.FindModelAsync("default", "workermlp", Ct);
        Assert.NotNull(registered);
        var version = Assert.Single(await store.ListModelVersionsAsync(registered!.Id, Ct));
        Assert.Equal(reference.ToString(), version.ArtifactReference);
        Assert.Equal(experiment.Id, version.Lineage.ExperimentId);
        Assert.Equal("workerrampjob", version.Lineage.Job);
        Assert.Equal(report.Metric("accuracy"), version.Metrics["accuracy"]);
    }

    [Fact]
    public async Task Recording_into_a_tracking_server_sends_points_checkpoints_and_files_over_the_wire()
    {
        // A real TrackingServer (Kestrel on loopback) over a store in the scratch folder: the run goes through http://.
        await using var store = await OpenStoreAsync();
        await using var server = await TrackingServer.StartAsync(store, Blobs, new TrackingServerOptions { Port = 0 }, Ct);
        var job = new WorkerRampJob(count: 40, seed: 5);
        using var model = WorkerMlp.Create(new WorkerMlp.Hyperparameters(Hidden: 3));
        var options = new TrainOptions { Epochs = 2, BatchSize = 8, Tracking = server.Address.ToString(), CheckpointEveryEpochs = 2 };

        var summary = await job.TrainAsync(model, options, cancellationToken: Ct);
        var report = await job.EvaluateAsync(model, DataSplit.Test, cancellationToken: Ct);

        Assert.Contains($"in {server.Address.GetLeftPart(UriPartial.Authority)}", TrainingRecorders.LatestOf(model)!.Description);
        var experiment = Assert.Single(await store.ListExperimentsAsync("default", Ct));
        Assert.Equal(ExperimentStatus.Finished, experiment.Status);
        Assert.Equal(3, experiment.Hyperparameters["hidden"].AsLong());
        Assert.Equal(summary.Steps, (await store.ReadMetricAsync(experiment.Id, "train/loss", cancellationToken: Ct)).Count);
        var checkpoint = Assert.Single(await store.ListCheckpointsAsync(experiment.Id, Ct));
        using var trained = new MemoryStream();
        model.SaveWeights(trained);
        using var uploaded = new MemoryStream();
        await using (var blob = await Blobs.OpenReadAsync(checkpoint.BlobSha256, Ct)) await blob.CopyToAsync(uploaded, Ct);
        Assert.Equal(trained.ToArray(), uploaded.ToArray());
        var latest = (await store.ReadLatestMetricsAsync(experiment.Id, Ct)).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(report.Metric("accuracy"), latest["eval/test/accuracy"]);
        Assert.Contains("evaluation/test-confusion.csv", (await store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Ct)).Select(f => f.File.Name));
    }

    [Fact]
    public async Task A_Trainer_records_each_worker_model_the_same_way()
    {
        var job = new WorkerRampJob(count: 40, seed: 5);
        await using var five = await WorkerMlp.DeployAsync(LocalProcess, hidden: 5, cancellationToken: Ct);
        await using var six = await WorkerMlp.DeployAsync(LocalProcess, hidden: 6, cancellationToken: Ct);
        var options = new TrainOptions { Epochs = 2, BatchSize = 8, Tracking = Tracking, CheckpointEveryEpochs = 2 };

        var result = await new Trainer<ImageData, ClassData>(options).TrainAsync(job, [five, six], cancellationToken: Ct);

        await using var store = await OpenStoreAsync();
        var experiments = await store.ListExperimentsAsync("default", Ct);
        Assert.Equal(2, experiments.Count);
        foreach (var (client, hidden) in new[] { (five, 5L), (six, 6L) })
        {
            var entry = result.Entries.Single(e => ReferenceEquals(e.Model, client));
            var experiment = Assert.Single(experiments, e => e.Hyperparameters["hidden"].AsLong() == hidden);
            Assert.Equal(ExperimentStatus.Finished, experiment.Status);
            Assert.Equal(("local-process", "Trainer"), (experiment.Environment["target"], experiment.Environment["loop"]));
            var loss = await store.ReadMetricAsync(experiment.Id, "train/loss", cancellationToken: Ct);
            Assert.Equal(Enumerable.Range(1, (int)entry.Steps).Select(s => (long)s), loss.Select(p => p.Step));
            Assert.Equal([entry.Steps / 2, entry.Steps], (await store.ReadMetricAsync(experiment.Id, "train/epoch_loss", cancellationToken: Ct)).Select(p => p.Step));

            // One checkpoint, after epoch 2: the worker's weights as they are now (training ended there).
            var checkpoint = Assert.Single(await store.ListCheckpointsAsync(experiment.Id, Ct));
            Assert.Equal((2L, entry.Steps), (checkpoint.Epoch!.Value, checkpoint.Step));
            using var now = new MemoryStream();
            await client.SaveWeightsAsync(now, Ct);
            using var saved = new MemoryStream();
            await using (var blob = await Blobs.OpenReadAsync(checkpoint.BlobSha256, Ct)) await blob.CopyToAsync(saved, Ct);
            Assert.Equal(now.ToArray(), saved.ToArray());

            var latest = (await store.ReadLatestMetricsAsync(experiment.Id, Ct)).ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(entry.Report!.Metric("accuracy"), latest["eval/test/accuracy"]);
        }
    }

    [Fact]
    public async Task A_recorder_of_ones_own_sees_every_step_epoch_the_end_and_the_evaluation_in_order()
    {
        var job = new WorkerRampJob(count: 40, seed: 5);
        using var model = WorkerMlp.Create(new WorkerMlp.Hyperparameters(Hidden: 4));
        var recorder = new ListRecorder();
        var summary = await job.TrainAsync(model, new TrainOptions { Epochs = 3, BatchSize = 8, Recorder = recorder }, cancellationToken: Ct);
        await job.EvaluateAsync(model, DataSplit.Test, cancellationToken: Ct);

        var run = Assert.Single(recorder.Runs);
        Assert.Equal(4L, run.Info.Hyperparameters["hidden"]);
        Assert.Equal("workermlp", run.Info.Model);
        long perEpoch = summary.Steps / 3;
        var expected = Enumerable.Range(1, (int)summary.Steps).SelectMany(s => s % perEpoch == 0
                ? new[] { $"step {s}", $"epoch {s / perEpoch} at {s}" } : new[] { $"step {s}" })
            .Append("end Finished").Append("evaluation test").ToArray();
        Assert.Equal(expected, run.Calls);
    }

    [Fact]
    public async Task A_model_that_fails_ends_its_record_failed_and_the_error_reaches_the_caller()
    {
        var recorder = new ListRecorder();
        var broken = new ScriptedModel("broken", 10) { FailOnFit = 2 };
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await InMemoryJob.Numbered(train: 10).TrainAsync(broken, new TrainOptions { Epochs = 1, BatchSize = 4, Recorder = recorder }, cancellationToken: Ct));
        Assert.Same(broken.FitError, error);
        var run = Assert.Single(recorder.Runs);
        Assert.Equal(["step 1", "end Failed"], run.Calls);
        Assert.Empty(run.Info.Hyperparameters); // a hand-made object: nothing to say
    }

    [Fact]
    public async Task A_Trainer_whose_recorder_fails_to_start_a_run_ends_the_runs_it_started_failed_and_fits_nothing()
    {
        await using var tracking = new Arc.Tracking.Recording.TrackingRecorder(TrackingDestination.Parse(Tracking));
        var recorder = new FailsOnSecondStart(tracking);
        var first = new ScriptedModel("first", 10);
        var second = new ScriptedModel("second", 10);
        var trainer = new Trainer<ImageData, ClassData>(new TrainOptions { Epochs = 1, BatchSize = 4, Recorder = recorder });

        var error = await Assert.ThrowsAsync<IOException>(async () =>
            await trainer.TrainAsync(InMemoryJob.Numbered(train: 10), [first, second], cancellationToken: Ct));
        Assert.Same(recorder.Error, error);
        Assert.Empty(first.FittedBatches);
        Assert.Empty(second.FittedBatches);

        // The first model's experiment was created in the real store before the second start failed: it must be ended.
        await using var store = await OpenStoreAsync();
        var experiment = Assert.Single(await store.ListExperimentsAsync("default", Ct));
        Assert.StartsWith("first-", experiment.Name);
        Assert.Equal(ExperimentStatus.Failed, experiment.Status);
        Assert.NotNull(experiment.EndedAt);
    }

    [Fact]
    public void The_destination_comes_from_the_options_else_from_ARC_TRACKING_URI_else_nothing_is_recorded()
    {
        string fromEnvironment = Tracking + "-env";
        string? Variable(string name) => name == "ARC_TRACKING_URI" ? fromEnvironment : null;
        Assert.Null(TrainingRecorders.Resolve(new TrainOptions(), _ => null));
        var own = new ListRecorder();
        Assert.Same(own, TrainingRecorders.Resolve(new TrainOptions { Recorder = own, Tracking = Tracking }, Variable));
        var fromOptions = Assert.IsType<Arc.Tracking.Recording.TrackingRecorder>(TrainingRecorders.Resolve(new TrainOptions { Tracking = Tracking }, Variable));
        Assert.Equal(TrackingDestination.Parse(Tracking), fromOptions.Destination);
        var fromVariable = Assert.IsType<Arc.Tracking.Recording.TrackingRecorder>(TrainingRecorders.Resolve(new TrainOptions(), Variable));
        Assert.Equal(TrackingDestination.Parse(fromEnvironment), fromVariable.Destination);
    }

    [Fact]
    public async Task A_destination_that_is_not_one_is_refused_before_training()
    {
        var model = new ScriptedModel("never", 10);
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await InMemoryJob.Numbered(train: 10).TrainAsync(model, new TrainOptions { Tracking = "ftp://127.0.0.1/runs" }, cancellationToken: Ct));
        Assert.Contains("ftp://127.0.0.1/runs", error.Message);
        Assert.Contains("http://host:port", error.Message);
        Assert.Empty(model.FittedBatches);
    }

    /// <summary>The real recorder for the first run; the second start fails as a server that went away would.</summary>
    private sealed class FailsOnSecondStart(ITrainingRecorder inner) : ITrainingRecorder
    {
        private int _starts;

        public IOException Error { get; } = new("the tracking server went away (on purpose)");

        public ValueTask<ITrainingRecording> StartAsync(TrainingRunInfo run, CancellationToken cancellationToken = default)
            => Interlocked.Increment(ref _starts) == 2 ? ValueTask.FromException<ITrainingRecording>(Error) : inner.StartAsync(run, cancellationToken);
    }

    /// <summary>A recorder that writes down what it is told, as another output (a console, a plot) would receive it.</summary>
    private sealed class ListRecorder : ITrainingRecorder
    {
        public ConcurrentQueue<ListRecording> Runs { get; } = new();

        public ValueTask<ITrainingRecording> StartAsync(TrainingRunInfo run, CancellationToken cancellationToken = default)
        {
            var recording = new ListRecording(run);
            Runs.Enqueue(recording);
            return ValueTask.FromResult<ITrainingRecording>(recording);
        }
    }

    private sealed class ListRecording(TrainingRunInfo info) : ITrainingRecording
    {
        public TrainingRunInfo Info { get; } = info;
        public List<string> Calls { get; } = new();
        public string Description => "a list";

        public ValueTask LogStepAsync(long step, int epoch, double loss, CancellationToken cancellationToken = default) => Add($"step {step}");
        public ValueTask LogEpochAsync(int epoch, long step, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default) => Add($"epoch {epoch} at {step}");
        public ValueTask SaveCheckpointAsync(long step, int epoch, Func<Stream, CancellationToken, ValueTask> writeWeights, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default) => Add($"checkpoint {epoch}");
        public ValueTask EndAsync(TrainingOutcome outcome, CancellationToken cancellationToken = default) => Add($"end {outcome}");
        public ValueTask LogEvaluationAsync(EvalReport report, CancellationToken cancellationToken = default) => Add($"evaluation {report.Split.ToString().ToLowerInvariant()}");
        public ValueTask LogSavedModelAsync(string reference, EvalReport? evaluation, CancellationToken cancellationToken = default) => Add("saved");

        private ValueTask Add(string call)
        {
            lock (Calls) Calls.Add(call);
            return ValueTask.CompletedTask;
        }
    }
}
