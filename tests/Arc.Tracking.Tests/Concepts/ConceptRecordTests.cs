using Arc.Tracking;
using Xunit;

namespace Arc.Tracking.Tests.Concepts;

public sealed class ConceptRecordTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_draft_checks_its_fields_when_they_are_set_even_through_with()
    {
        var draft = new ExperimentDraft("langtech", "wav2vec-lid", "me@example.com") { Framework = "torchsharp" };
        Assert.Throws<ArgumentException>(() => draft with { Framework = new string('x', 65) });
        var e = Assert.Throws<ArgumentException>(() => draft with { Hyperparameters = new Dictionary<string, HyperparameterValue> { ["bad key"] = 1 } });
        Assert.Contains("hyperparameter name 'bad key'", e.Message);
        Assert.Throws<ArgumentException>(() => draft with { Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = default } });
        Assert.Throws<ArgumentException>(() => new ExperimentDraft("langtech", "x", "  "));
    }

    [Fact]
    public void A_record_keeps_its_own_copy_of_the_maps_it_was_given()
    {
        var hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = 0.1 };
        var draft = new ExperimentDraft("ns", "e", "me") { Hyperparameters = hyperparameters };
        hyperparameters["lr"] = 0.2;
        hyperparameters["extra"] = 1;
        Assert.Equal(0.1, draft.Hyperparameters["lr"].AsDouble());
        Assert.Single(draft.Hyperparameters);
    }

    [Fact]
    public void Maps_list_their_keys_in_ordinal_order()
    {
        var draft = new RegisteredModelDraft("ns", "m", "me") { Labels = new Dictionary<string, string> { ["b"] = "1", ["B"] = "2", ["a"] = "3" } };
        Assert.Equal(["B", "a", "b"], draft.Labels.Keys);
    }

    [Fact]
    public void Code_versions_are_full_git_commits()
    {
        Assert.Equal(40, new CodeVersion(new string('a', 40), dirty: true).Commit.Length);
        new CodeVersion(new string('b', 64), dirty: false);
        Assert.Throws<ArgumentException>(() => new CodeVersion("abc1234", dirty: false));
        Assert.Throws<ArgumentException>(() => new CodeVersion(new string('A', 40), dirty: false));
    }

    [Fact]
    public void A_metric_batch_holds_one_to_the_maximum_points_and_keeps_its_key_for_retries()
    {
        var point = new MetricPoint("loss", 1, DateTimeOffset.UnixEpoch, double.NaN);
        var batch = new MetricBatch("abc123", [point]);
        Assert.Equal(32, batch.IdempotencyKey.Length);
        Assert.NotEqual(batch.IdempotencyKey, new MetricBatch("abc123", [point]).IdempotencyKey);
        Assert.Throws<ArgumentException>(() => new MetricBatch("abc123", "k", []));
        Assert.Throws<ArgumentException>(() => new MetricBatch("abc123", "k", Enumerable.Repeat(point, MetricBatch.MaxPoints + 1)));
        Assert.Throws<ArgumentException>(() => new MetricBatch("abc123", "has space", [point]));
        Assert.Throws<ArgumentException>(() => new MetricBatch("abc123", "k", [point, null!]));
    }

    [Fact]
    public void A_version_draft_refuses_two_files_of_one_name()
    {
        var file = new FileRef("weights.bin", Sha, 10);
        var e = Assert.Throws<ArgumentException>(() => new ModelVersionDraft("m1") { Files = [file, file with { }] });
        Assert.Contains("'weights.bin' twice", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileRef("a", Sha, -1));
        Assert.Throws<ArgumentException>(() => new ModelVersionDraft("m1") { ArtifactReference = "has space" });
    }

    [Fact]
    public void Lineage_checks_its_parts()
    {
        var lineage = new ModelLineage(experimentId: "e1", job: "ClassifyDigits", dataset: new DatasetRef("mnist", "1.1.0", "sha256:" + Sha), parentVersionId: "v1");
        Assert.Equal("mnist", lineage.Dataset!.Name);
        Assert.Throws<ArgumentException>(() => new ModelLineage(job: "bad job"));
        Assert.Throws<ArgumentException>(() => new DatasetRef("mnist", "1 0"));
    }

    [Fact]
    public void Event_queries_refuse_unknown_kinds_and_out_of_range_limits()
    {
        var e = Assert.Throws<ArgumentException>(() => new EventQuery { Kinds = ["model.deleted"] });
        Assert.Contains("model.created", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventQuery { Limit = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventQuery { AfterId = -1 });
        Assert.Throws<ArgumentException>(() => new EventQuery { Namespace = "Not_A_Label" });
    }

    [Fact]
    public void Default_label_targets_and_file_owners_have_no_kind()
    {
        Assert.Equal(0, (int)default(LabelTarget).Kind);
        Assert.Equal(TrackedObjectKind.ModelVersion, LabelTarget.ModelVersion("v1").Kind);
        Assert.Equal(TrackedObjectKind.Experiment, FileOwner.Experiment("e1").Kind);
        Assert.Throws<ArgumentException>(() => FileOwner.Experiment("not-an-id"));
    }
}
