using Xunit;

namespace Arc.Tracking.Tests.Stores;

public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task A_model_keeps_its_fields_and_labels_and_its_name_is_taken_in_its_namespace_only()
    {
        var draft = new RegisteredModelDraft("langtech", "wav2vec", "diptanu@example.com")
        {
            Task = "asr",
            Description = "English ASR\nfine-tuned",
            Labels = new Dictionary<string, string> { ["privacy"] = "internal", ["team"] = "speech" },
        };
        var created = await Store.CreateModelAsync(draft, Cancel);
        var read = await Store.GetModelAsync(created.Id, Cancel);
        foreach (var model in new[] { created, read })
        {
            Assert.Equal(("langtech", "wav2vec", "diptanu@example.com", "asr", "English ASR\nfine-tuned"),
                (model.Namespace, model.Name, model.Owner, model.Task, model.Description));
            Assert.Equal(draft.Labels, model.Labels);
        }
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.Equal(created.Id, (await Store.FindModelAsync("langtech", "wav2vec", Cancel))!.Id);
        Assert.Null(await Store.FindModelAsync("vision", "wav2vec", Cancel));

        var e = await Assert.ThrowsAsync<TrackingAlreadyExistsException>(() => NewModelAsync("wav2vec", "langtech"));
        Assert.Contains("'wav2vec'", e.Message);
        var other = await NewModelAsync("wav2vec", "vision");
        var third = await NewModelAsync("conformer", "langtech");
        Assert.Equal([created.Id, third.Id], (await Store.ListModelsAsync("langtech", Cancel)).Select(m => m.Id));
        Assert.Equal([created.Id, other.Id, third.Id], (await Store.ListModelsAsync(cancellationToken: Cancel)).Select(m => m.Id));
        Assert.Equal(draft.Labels, (await Store.ListModelsAsync("langtech", Cancel))[0].Labels);
    }

    [Fact]
    public async Task Versions_are_numbered_per_model_and_keep_files_metrics_labels_and_lineage()
    {
        var experiment = await NewExperimentAsync();
        var model = await NewModelAsync("mnist-conv");
        var otherModel = await NewModelAsync("mnist-mlp");
        var v1 = await Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id) { ArtifactReference = "127.0.0.1:5000/arc/models:model-conv-1a2b3c4d5e6f" }, Cancel);
        var draft = new ModelVersionDraft(model.Id)
        {
            Files = [new FileRef("weights.bin", Sha, 1_234_567), new FileRef("config/model.json", OtherSha, 42)],
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.97, ["loss"] = double.PositiveInfinity, ["nan"] = double.NaN },
            Labels = new Dictionary<string, string> { ["stage"] = "staging" },
            Lineage = new ModelLineage(experiment.Id, "ClassifyDigits", new DatasetRef("mnist", "1.1.0", "sha256:" + Sha), v1.Id),
        };
        var v2 = await Store.CreateModelVersionAsync(draft, Cancel);
        var w1 = await Store.CreateModelVersionAsync(new ModelVersionDraft(otherModel.Id), Cancel);

        Assert.Equal((1, 2, 1), (v1.Version, v2.Version, w1.Version));
        foreach (var version in new[] { v2, await Store.GetModelVersionAsync(v2.Id, Cancel), (await Store.FindModelVersionAsync(model.Id, 2, Cancel))! })
        {
            Assert.Equal((v2.Id, model.Id, "langtech", 2), (version.Id, version.ModelId, version.Namespace, version.Version));
            Assert.Null(version.ArtifactReference);
            Assert.Equal([("config/model.json", OtherSha, 42L), ("weights.bin", Sha, 1_234_567L)], version.Files.Select(f => (f.Name, f.Sha256, f.Size)));
            Assert.Equal(0.97, version.Metrics["accuracy"]);
            Assert.Equal(double.PositiveInfinity, version.Metrics["loss"]);
            Assert.True(double.IsNaN(version.Metrics["nan"]));
            Assert.Equal(draft.Labels, version.Labels);
            Assert.Equal((experiment.Id, "ClassifyDigits", v1.Id), (version.Lineage.ExperimentId, version.Lineage.Job, version.Lineage.ParentVersionId));
            Assert.Equal(("mnist", "1.1.0", "sha256:" + Sha), (version.Lineage.Dataset!.Name, version.Lineage.Dataset.Version, version.Lineage.Dataset.Hash));
            Assert.Equal(v2.CreatedAt, version.CreatedAt);
        }
        var first = await Store.GetModelVersionAsync(v1.Id, Cancel);
        Assert.Equal("127.0.0.1:5000/arc/models:model-conv-1a2b3c4d5e6f", first.ArtifactReference);
        Assert.Equal((null, null, null, null), (first.Lineage.ExperimentId, first.Lineage.Job, first.Lineage.Dataset, first.Lineage.ParentVersionId));
        Assert.Empty(first.Files);
        Assert.Equal([v1.Id, v2.Id], (await Store.ListModelVersionsAsync(model.Id, Cancel)).Select(v => v.Id));
        Assert.Equal(draft.Labels, (await Store.ListModelVersionsAsync(model.Id, Cancel))[1].Labels);
        Assert.Null(await Store.FindModelVersionAsync(model.Id, 3, Cancel));

        var created = await Store.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.ModelVersionCreated] }, Cancel);
        Assert.Equal([v1.Id, v2.Id, w1.Id], created.Select(e => e.ObjectId));
        Assert.Contains($"\"model_id\":\"{model.Id}\"", created[1].Payload);
        Assert.Contains("\"version\":2", created[1].Payload);
    }

    [Fact]
    public async Task Labels_are_set_replaced_and_removed_each_with_an_event()
    {
        var model = await NewModelAsync();
        var version = await Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel);
        long before = (await AllEventsAsync()).Max(e => e.Id);

        await Store.SetLabelAsync(LabelTarget.Model(model.Id), "owner-team", "speech", Cancel);
        await Store.SetLabelAsync(LabelTarget.ModelVersion(version.Id), "stage", "staging", Cancel);
        await Store.SetLabelAsync(LabelTarget.ModelVersion(version.Id), "stage", "production", Cancel);
        await Store.SetLabelAsync(LabelTarget.ModelVersion(version.Id), "empty", "", Cancel);
        await Store.RemoveLabelAsync(LabelTarget.ModelVersion(version.Id), "empty", Cancel);

        Assert.Equal(new Dictionary<string, string> { ["owner-team"] = "speech" }, (await Store.GetModelAsync(model.Id, Cancel)).Labels);
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "production" }, (await Store.GetModelVersionAsync(version.Id, Cancel)).Labels);

        var e = await Assert.ThrowsAsync<TrackingNotFoundException>(() => Store.RemoveLabelAsync(LabelTarget.ModelVersion(version.Id), "empty", Cancel));
        Assert.Contains("no label 'empty'", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetLabelAsync(LabelTarget.Model(model.Id), "bad key", "v", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetLabelAsync(LabelTarget.Model(model.Id), "k", new string('v', 257), Cancel));

        var events = await Store.ReadEventsAsync(new EventQuery { AfterId = before }, Cancel);
        Assert.Equal(
            [TrackingEventKinds.LabelSet, TrackingEventKinds.LabelSet, TrackingEventKinds.LabelSet, TrackingEventKinds.LabelSet, TrackingEventKinds.LabelRemoved],
            events.Select(x => x.Kind));
        Assert.Equal([model.Id, version.Id, version.Id, version.Id, version.Id], events.Select(x => x.ObjectId));
        Assert.Equal("{\"object_kind\":\"model_version\",\"key\":\"stage\",\"value\":\"production\"}", events[2].Payload);
        Assert.Equal("{\"object_kind\":\"model_version\",\"key\":\"empty\"}", events[4].Payload);
    }

    [Fact]
    public async Task Files_attach_to_experiments_and_versions_once_per_name()
    {
        var experiment = await NewExperimentAsync();
        var model = await NewModelAsync();
        var version = await Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id) { Files = [new FileRef("weights.bin", Sha, 10)] }, Cancel);

        var notebook = await Store.AttachFileAsync(FileOwner.Experiment(experiment.Id), new FileRef("notebooks/train.ipynb", OtherSha, 2048), Cancel);
        await Store.AttachFileAsync(FileOwner.Experiment(experiment.Id), new FileRef("log.txt", Sha, 0), Cancel);
        await Store.AttachFileAsync(FileOwner.Experiment(experiment.Id), new FileRef("README", Sha, 1), Cancel);
        await Store.AttachFileAsync(FileOwner.ModelVersion(version.Id), new FileRef("eval/report.json", OtherSha, 77), Cancel);

        var experimentFiles = await Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), Cancel);
        // By ordinal, whatever the database's collation: upper case first.
        Assert.Equal(["README", "log.txt", "notebooks/train.ipynb"], experimentFiles.Select(f => f.File.Name));
        Assert.All(experimentFiles, f => Assert.Equal(FileOwner.Experiment(experiment.Id), f.Owner));
        Assert.Equal(notebook.AttachedAt, experimentFiles[2].AttachedAt);
        Assert.Equal(2048, experimentFiles[2].File.Size);
        Assert.Equal(["eval/report.json", "weights.bin"], (await Store.ListFilesAsync(FileOwner.ModelVersion(version.Id), Cancel)).Select(f => f.File.Name));
        Assert.Equal(["eval/report.json", "weights.bin"], (await Store.GetModelVersionAsync(version.Id, Cancel)).Files.Select(f => f.Name));

        int events = (await AllEventsAsync()).Count;
        var e = await Assert.ThrowsAsync<TrackingAlreadyExistsException>(
            () => Store.AttachFileAsync(FileOwner.ModelVersion(version.Id), new FileRef("weights.bin", OtherSha, 11), Cancel));
        Assert.Contains("'weights.bin'", e.Message);
        Assert.Equal(events, (await AllEventsAsync()).Count);
        Assert.Equal(Sha, (await Store.GetModelVersionAsync(version.Id, Cancel)).Files.Single(f => f.Name == "weights.bin").Sha256);

        var attached = await Store.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.FileAttached] }, Cancel);
        Assert.Equal([experiment.Id, experiment.Id, experiment.Id, version.Id], attached.Select(x => x.ObjectId));
        Assert.Equal($"{{\"object_kind\":\"experiment\",\"name\":\"notebooks/train.ipynb\",\"sha256\":\"{OtherSha}\",\"size\":2048}}", attached[0].Payload);
    }
}
