using Xunit;

namespace Arc.Tracking.Tests.Stores;

public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task An_experiment_keeps_every_field_and_the_type_of_each_hyperparameter()
    {
        var started = new DateTimeOffset(2026, 5, 1, 12, 30, 15, TimeSpan.FromHours(2)).AddTicks(1234567);
        var draft = new ExperimentDraft("langtech", "wav2vec-lid", "me@example.com")
        {
            Framework = "torchsharp",
            Hyperparameters = new Dictionary<string, HyperparameterValue>
            {
                ["hidden"] = 64, ["lr"] = 1e-3, ["optimizer"] = "adam", ["shuffle"] = true, ["clip"] = double.NaN,
                ["max"] = double.PositiveInfinity, ["min"] = double.NegativeInfinity, ["big"] = long.MaxValue, ["note"] = "two\nlines",
            },
            Environment = new Dictionary<string, string> { ["os"] = "Debian 12", ["dotnet"] = "10.0.1", ["gpu"] = "" },
            CodeVersion = new CodeVersion(new string('c', 40), dirty: true),
            StartedAt = started,
        };
        var before = DateTimeOffset.UtcNow;
        var created = await Store.CreateExperimentAsync(draft, Cancel);
        var read = await Store.GetExperimentAsync(created.Id, Cancel);

        foreach (var experiment in new[] { created, read })
        {
            Assert.Equal(32, experiment.Id.Length);
            Assert.Equal(("langtech", "wav2vec-lid", "me@example.com", "torchsharp"), (experiment.Namespace, experiment.Name, experiment.Owner, experiment.Framework));
            Assert.Equal(ExperimentStatus.Running, experiment.Status);
            Assert.Null(experiment.EndedAt);
            // Kept to the microsecond: the last tick digit goes.
            Assert.Equal(started.UtcTicks / 10 * 10, experiment.StartedAt.UtcTicks);
            Assert.Equal(draft.Hyperparameters.Keys, experiment.Hyperparameters.Keys);
            foreach (var (name, value) in draft.Hyperparameters)
            {
                Assert.Equal(value.Kind, experiment.Hyperparameters[name].Kind);
                Assert.Equal(value, experiment.Hyperparameters[name]);
            }
            Assert.Equal(draft.Environment, experiment.Environment);
            Assert.Equal(new string('c', 40), experiment.CodeVersion!.Commit);
            Assert.True(experiment.CodeVersion.Dirty);
        }
        Assert.True(before > started);

        var plain = await Store.CreateExperimentAsync(new ExperimentDraft("langtech", "no-extras", "me"), Cancel);
        Assert.Null(plain.CodeVersion);
        Assert.Empty(plain.Hyperparameters);
        Assert.InRange(plain.StartedAt, before.AddTicks(-10), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_taken_experiment_name_is_AlreadyExists_in_its_namespace_only()
    {
        var first = await NewExperimentAsync("run-1", "langtech");
        int events = (await AllEventsAsync()).Count;
        var e = await Assert.ThrowsAsync<TrackingAlreadyExistsException>(() => NewExperimentAsync("run-1", "langtech"));
        Assert.Equal(TrackingErrorCode.AlreadyExists, e.Code);
        Assert.Contains("'run-1'", e.Message);
        Assert.Contains("'langtech'", e.Message);
        Assert.Equal(events, (await AllEventsAsync()).Count);
        Assert.Equal([first.Id], (await Store.ListExperimentsAsync("langtech", Cancel)).Select(x => x.Id));

        var elsewhere = await NewExperimentAsync("run-1", "vision");
        Assert.NotEqual(first.Id, elsewhere.Id);
    }

    [Fact]
    public async Task Experiments_are_found_by_name_and_listed_by_namespace_oldest_first()
    {
        var a = await NewExperimentAsync("a", "langtech");
        var b = await NewExperimentAsync("b", "vision");
        var c = await NewExperimentAsync("c", "langtech");

        Assert.Equal([a.Id, c.Id], (await Store.ListExperimentsAsync("langtech", Cancel)).Select(x => x.Id));
        Assert.Equal([a.Id, b.Id, c.Id], (await Store.ListExperimentsAsync(cancellationToken: Cancel)).Select(x => x.Id));
        Assert.Empty(await Store.ListExperimentsAsync("nobody-here", Cancel));
        Assert.Equal(b.Id, (await Store.FindExperimentAsync("vision", "b", Cancel))!.Id);
        Assert.Null(await Store.FindExperimentAsync("vision", "a", Cancel));
        Assert.Equal(["langtech", "vision"], (await Store.ListNamespacesAsync(Cancel)).Select(n => n.Name));
    }

    [Fact]
    public async Task Hyperparameters_of_listed_experiments_belong_to_their_own_experiment()
    {
        await Store.CreateExperimentAsync(new ExperimentDraft("ns", "a", "me") { Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = 0.1 } }, Cancel);
        await Store.CreateExperimentAsync(new ExperimentDraft("ns", "b", "me") { Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = 0.2, ["k"] = 3 } }, Cancel);
        var listed = await Store.ListExperimentsAsync("ns", Cancel);
        Assert.Equal(0.1, listed[0].Hyperparameters["lr"].AsDouble());
        Assert.Single(listed[0].Hyperparameters);
        Assert.Equal(0.2, listed[1].Hyperparameters["lr"].AsDouble());
        Assert.Equal(3, listed[1].Hyperparameters["k"].AsLong());
    }

    [Fact]
    public async Task A_status_change_records_the_end_time_and_running_clears_it()
    {
        var experiment = await NewExperimentAsync();
        var end = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var finished = await Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, end, Cancel);
        Assert.Equal(ExperimentStatus.Finished, finished.Status);
        Assert.Equal(end, finished.EndedAt);
        Assert.Equal(finished, await Store.GetExperimentAsync(experiment.Id, Cancel) with { Hyperparameters = finished.Hyperparameters, Environment = finished.Environment });

        var failed = await Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Failed, cancellationToken: Cancel);
        Assert.NotNull(failed.EndedAt);

        var running = await Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Running, cancellationToken: Cancel);
        Assert.Null(running.EndedAt);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Running, end, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetExperimentStatusAsync(experiment.Id, (ExperimentStatus)99, null, Cancel));

        var changes = await Store.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.ExperimentStatusChanged] }, Cancel);
        Assert.Equal(3, changes.Count);
        Assert.All(changes, e => Assert.Equal(experiment.Id, e.ObjectId));
        Assert.Contains("\"status\":\"finished\"", changes[0].Payload);
        Assert.Contains("\"ended_at\":\"2026-06-01T00:00:00.000000Z\"", changes[0].Payload);
        Assert.Contains("\"ended_at\":null", changes[2].Payload);
    }

    [Fact]
    public async Task Checkpoints_keep_their_fields_and_are_listed_by_step()
    {
        var experiment = await NewExperimentAsync();
        var late = await Store.CreateCheckpointAsync(new CheckpointDraft(experiment.Id, 200, Sha) { Epoch = 2, Metrics = new Dictionary<string, double> { ["loss"] = double.NaN, ["acc"] = 0.9 } }, Cancel);
        var early = await Store.CreateCheckpointAsync(new CheckpointDraft(experiment.Id, 100, OtherSha), Cancel);

        var read = await Store.GetCheckpointAsync(late.Id, Cancel);
        Assert.Equal((experiment.Id, 200L, (long?)2, Sha), (read.ExperimentId, read.Step, read.Epoch, read.BlobSha256));
        Assert.True(double.IsNaN(read.Metrics["loss"]));
        Assert.Equal(0.9, read.Metrics["acc"]);
        Assert.Equal(late.CreatedAt, read.CreatedAt);
        Assert.Equal([early.Id, late.Id], (await Store.ListCheckpointsAsync(experiment.Id, Cancel)).Select(c => c.Id));
        Assert.Null((await Store.GetCheckpointAsync(early.Id, Cancel)).Epoch);

        var created = await Store.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.CheckpointCreated] }, Cancel);
        Assert.Equal([late.Id, early.Id], created.Select(e => e.ObjectId));
        Assert.Contains($"\"experiment_id\":\"{experiment.Id}\"", created[0].Payload);
    }

    [Fact]
    public async Task Unknown_ids_are_NotFound_everywhere()
    {
        const string missing = "0000000000000000000000000000dead";
        var experiment = await NewExperimentAsync();
        var model = await NewModelAsync();
        var calls = new (string What, Func<Task> Call)[]
        {
            ("get experiment", () => Store.GetExperimentAsync(missing, Cancel)),
            ("set status", () => Store.SetExperimentStatusAsync(missing, ExperimentStatus.Finished, null, Cancel)),
            ("log metrics", () => Store.LogMetricsAsync(new MetricBatch(missing, [Point("loss", 1, 1)]), Cancel)),
            ("read metric", () => Store.ReadMetricAsync(missing, "loss", cancellationToken: Cancel)),
            ("read latest", () => Store.ReadLatestMetricsAsync(missing, Cancel)),
            ("create checkpoint", () => Store.CreateCheckpointAsync(new CheckpointDraft(missing, 1, Sha), Cancel)),
            ("get checkpoint", () => Store.GetCheckpointAsync(missing, Cancel)),
            ("list checkpoints", () => Store.ListCheckpointsAsync(missing, Cancel)),
            ("get model", () => Store.GetModelAsync(missing, Cancel)),
            ("version of unknown model", () => Store.CreateModelVersionAsync(new ModelVersionDraft(missing), Cancel)),
            ("version of unknown experiment", () => Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id) { Lineage = new ModelLineage(experimentId: missing) }, Cancel)),
            ("version of unknown parent", () => Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id) { Lineage = new ModelLineage(parentVersionId: missing) }, Cancel)),
            ("get version", () => Store.GetModelVersionAsync(missing, Cancel)),
            ("find version of unknown model", () => Store.FindModelVersionAsync(missing, 1, Cancel)),
            ("list versions", () => Store.ListModelVersionsAsync(missing, Cancel)),
            ("label unknown model", () => Store.SetLabelAsync(LabelTarget.Model(missing), "stage", "prod", Cancel)),
            ("label unknown version", () => Store.SetLabelAsync(LabelTarget.ModelVersion(missing), "stage", "prod", Cancel)),
            ("unlabel unknown model", () => Store.RemoveLabelAsync(LabelTarget.Model(missing), "stage", Cancel)),
            ("attach to unknown experiment", () => Store.AttachFileAsync(FileOwner.Experiment(missing), new FileRef("a", Sha, 1), Cancel)),
            ("attach to unknown version", () => Store.AttachFileAsync(FileOwner.ModelVersion(missing), new FileRef("a", Sha, 1), Cancel)),
            ("list files of unknown experiment", () => Store.ListFilesAsync(FileOwner.Experiment(missing), Cancel)),
        };
        int events = (await AllEventsAsync()).Count;
        foreach (var (what, call) in calls)
        {
            var e = await Assert.ThrowsAsync<TrackingNotFoundException>(call);
            Assert.True(e.Code == TrackingErrorCode.NotFound && e.Message.Contains(missing, StringComparison.Ordinal), $"{what}: {e.Message}");
        }
        Assert.Equal(events, (await AllEventsAsync()).Count);
        Assert.Empty(await Store.ListModelVersionsAsync(model.Id, Cancel));
        Assert.Equal(ExperimentStatus.Running, (await Store.GetExperimentAsync(experiment.Id, Cancel)).Status);
    }

    [Fact]
    public async Task Malformed_ids_and_default_targets_are_argument_errors()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetExperimentAsync("not an id", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetExperimentAsync("", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetLabelAsync(default, "k", "v", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AttachFileAsync(default, new FileRef("a", Sha, 1), Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListExperimentsAsync("Bad_Namespace", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadMetricAsync("abc", "loss", 10, 5, Cancel));
    }
}
